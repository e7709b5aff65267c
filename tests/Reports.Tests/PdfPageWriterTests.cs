using CsCheck;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Rendering;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace EnergyMonitor.Reports.Tests;

public sealed class PdfPageWriterTests
{
    // One unit per character: what fits a width of 10 is 10 characters.
    private static double Chars(string s) => s.Length;

    [Fact]
    public void Latin_text_breaks_at_the_last_space_that_fits()
    {
        Assert.Equal(["the meter", "was read", "late"], LineBreaks.Wrap("the meter was read late", 10, Chars));
    }

    [Fact]
    public void Chinese_text_breaks_between_any_two_characters()
    {
        Assert.Equal(["主楼总水表疑似", "漏水"], LineBreaks.Wrap("主楼总水表疑似漏水", 7, Chars));
    }

    [Fact]
    public void A_word_longer_than_the_width_is_cut_rather_than_overflowing()
    {
        Assert.Equal(["abcd", "efgh", "ij"], LineBreaks.Wrap("abcdefghij", 4, Chars));
    }

    /// <summary>Every line fits unless it is one character; no character is lost but the spaces lines broke at.</summary>
    [Fact]
    public void Generated_texts_wrap_into_lines_that_fit_and_keep_every_character()
    {
        var text = Gen.Int[0, 6].Select(i => "ab 电表1."[i]).Array[0, 200].Select(c => new string(c));
        Gen.Select(text, Gen.Int[1, 40]).Sample((t, width) =>
        {
            var lines = LineBreaks.Wrap(t, width, Chars);
            Assert.All(lines, l => Assert.True(l.Length <= width || l.Length == 1, $"\"{l}\" is wider than {width}"));
            Assert.Equal(t.Replace(" ", ""), string.Concat(lines).Replace(" ", ""));
        }, iter: 2_000);
    }

    [Fact]
    public void A_table_longer_than_a_page_goes_on_to_the_next_pages_and_every_page_is_numbered()
    {
        CjkFontResolver.Use(ReportFonts.Shipped);
        using var document = new PdfDocument();
        var writer = new PdfPageWriter(document);
        writer.Heading("表");
        writer.Table(["表计", "用量（kWh）"], [.. Enumerable.Range(1, 200).Select(i => (IReadOnlyList<string>)[$"m{i}", (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture)])], numeric: true);
        writer.Finish("第 {0} 页，共 {1} 页");

        // 200 rows of about 17 pt on 758 pt of A4 between the margins: five pages at least, none empty.
        var pages = document.PageCount;
        Assert.InRange(pages, 5, 8);
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        stream.Position = 0;
        using var read = PdfReader.Open(stream, PdfDocumentOpenMode.Import);
        Assert.Equal(pages, read.PageCount);
    }
}
