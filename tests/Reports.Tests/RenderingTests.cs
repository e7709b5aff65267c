using System.Diagnostics;
using AngleSharp.Html.Parser;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Rendering;
using MiniExcelLibs;
using SkiaSharp;

namespace EnergyMonitor.Reports.Tests;

/// <summary>Every rendering carries the model's figures: HTML parsed, PDF text extracted by poppler, XLSX read back; charts decoded.</summary>
[Collection("report")]
public sealed class RenderingTests(ReportFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ReportView View => new(fixture.Report);

    private IReadOnlyList<ChartImage> Charts => new ReportCharts(fixture.Font, Language.Chinese).All(fixture.Report);

    [Fact]
    public async Task The_HTML_parses_and_holds_every_table_with_the_models_figures()
    {
        var html = await HtmlReport.RenderAsync(View, Charts, fixture.Font);

        var document = new HtmlParser().ParseDocument(html);
        foreach (var id in new[] { "totals", "indicators", "items", "coefficients" })
        {
            Assert.NotNull(document.GetElementById(id));
        }

        var electricity = document.QuerySelectorAll("#totals tbody tr").Single(r => r.Children[0].TextContent == "电力");
        Assert.Equal(ReportNumbers.Amount(fixture.Expected.Oct26), electricity.Children[1].TextContent);
        Assert.Equal(5, document.QuerySelectorAll("figure img[src^='data:image/png;base64,']").Length);
        Assert.Equal(fixture.Report.Title, document.Title);
    }

    [Fact]
    public async Task The_PDF_text_extracted_by_pdftotext_holds_the_Chinese_headings_and_key_figures()
    {
        var path = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, PdfReport.Render(View, Charts, fixture.Font), Ct);
        try
        {
            var text = await RunAsync("pdftotext", ["-layout", path, "-"]);
            var fonts = await RunAsync("pdffonts", [path]);

            Assert.Contains(fixture.Report.Title, text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("一、分品种能源资源消耗", text, StringComparison.Ordinal);
            Assert.Contains("六、折标与排放系数", text, StringComparison.Ordinal);
            Assert.Contains(ReportNumbers.Amount(fixture.Expected.Oct26), text, StringComparison.Ordinal);
            Assert.Contains(View.TotalTce, text, StringComparison.Ordinal);
            Assert.Contains("第 1 页，共", text, StringComparison.Ordinal);
            Assert.Contains("WenQuanYi", fonts, StringComparison.Ordinal); // the CJK font is embedded
            Assert.DoesNotContain(" no ", fonts.Split('\n').First(l => l.Contains("CID", StringComparison.Ordinal)), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_XLSX_reads_back_equal_to_the_model()
    {
        using var stream = new MemoryStream(TableExports.Xlsx(View));

        var sheets = MiniExcel.GetSheetNames(stream);
        Assert.Contains("一、分品种能源资源消耗", sheets);
        stream.Position = 0;
        var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "一、分品种能源资源消耗").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(View.Totals.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(View.Totals[i], View.TotalsHeader.Select(h => rows[i][h]?.ToString() ?? ""));
        }
    }

    [Fact]
    public void The_CSV_starts_with_a_BOM_and_holds_every_table()
    {
        var bytes = TableExports.Csv(View);
        var text = System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains("\"" + ReportNumbers.Amount(fixture.Expected.Oct26) + "\"", text, StringComparison.Ordinal);
        Assert.Contains("三、分类分项能耗", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_chart_decodes_at_its_size_and_is_not_blank()
    {
        foreach (var chart in Charts)
        {
            using var bitmap = SKBitmap.Decode(chart.Png);

            Assert.NotNull(bitmap);
            Assert.Equal((chart.Width, chart.Height), (bitmap.Width, bitmap.Height));
            var colours = new HashSet<SKColor>();
            for (var x = 0; x < bitmap.Width; x += 7)
            {
                for (var y = 0; y < bitmap.Height; y += 7)
                {
                    colours.Add(bitmap.GetPixel(x, y));
                }
            }

            Assert.True(colours.Count > 8, $"{chart.Name}: {colours.Count} colours");
        }
    }

    [Fact]
    public void Chinese_labels_are_drawn_as_glyphs_not_as_boxes()
    {
        // The same plot titled in Chinese and with U+25A1 (the box a missing glyph looks like): with the CJK font the
        // two title areas differ; without it both would be rows of boxes.
        static SKBitmap Title(CjkFont font, string title)
        {
            var plot = new ScottPlot.Plot();
            plot.Font.Set(CjkTypefaceResolver.Register(font));
            plot.Title(title);
            return SKBitmap.Decode(plot.GetImageBytes(600, 300, ScottPlot.ImageFormat.Png));
        }

        using var chinese = Title(fixture.Font, "能耗报告分项");
        using var boxes = Title(fixture.Font, "□□□□□□");
        var differing = 0;
        var inked = 0;
        for (var x = 0; x < 600; x++)
        {
            for (var y = 0; y < 40; y++)
            {
                var a = chinese.GetPixel(x, y);
                differing += a != boxes.GetPixel(x, y) ? 1 : 0;
                inked += a.Red < 128 ? 1 : 0;
            }
        }

        Assert.True(inked > 200, $"the Chinese title drew {inked} dark pixels");
        Assert.True(differing > inked / 3, $"{differing} pixels differ from a row of boxes");
    }

    [Fact]
    public async Task A_buildings_savings_add_their_table_and_the_baseline_against_actual_chart()
    {
        var days = Enumerable.Range(0, 31).Select(i => (new DateOnly(2026, 10, 1).AddDays(i), 100.0 + (i % 7), 105.0)).ToList();
        var report = fixture.Report with
        {
            Savings = new Model.SavingsSection("HddCdd: 100 kWh/d", 0.81, 0.12, 0.001, true, 3255, 3200, 55, 0.0169, 0.4, "2025-10-01 … 2026-09-30", [], days),
        };

        var charts = new ReportCharts(fixture.Font, Language.Chinese).All(report);
        var document = new HtmlParser().ParseDocument(await HtmlReport.RenderAsync(new ReportView(report), charts, fixture.Font));

        Assert.Contains(charts, c => c.Name == "baseline-actual.png");
        var rows = document.QuerySelectorAll("#savings tbody tr").Select(r => (r.Children[0].TextContent, r.Children[1].TextContent)).ToList();
        Assert.Contains(("ASHRAE Guideline 14 检验", "通过"), rows);
        Assert.Contains(("节约电量（kWh）", "55"), rows);
        Assert.Null(new HtmlParser().ParseDocument(await HtmlReport.RenderAsync(View, Charts, fixture.Font)).GetElementById("savings")); // the region report has none
    }

    [Fact]
    public void A_configured_font_that_is_not_installed_is_an_error_and_no_font_configured_is_the_shipped_one()
    {
        var e = Assert.Throws<MissingCjkFontException>(() => ReportFonts.Resolve(["No Such Font Family 123"]));

        Assert.Contains("No Such Font Family 123", e.Message, StringComparison.Ordinal);
        Assert.Same(ReportFonts.Shipped, ReportFonts.Resolve([]));
        Assert.Equal("WenQuanYi Micro Hei", ReportFonts.Shipped.Family);
        Assert.True(ReportFonts.Shipped.Woff2 is { Length: > 100_000 });
    }

    private static async Task<string> RunAsync(string file, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{file} exited {process.ExitCode}");
        return output;
    }
}

/// <summary>Cells that would start a formula in Excel are shown as text in every CSV and XLSX (OWASP's CSV injection guidance).</summary>
public sealed class SpreadsheetCellTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"点击\")", "'=HYPERLINK(\"http://evil.example\",\"点击\")")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("行政中心主楼", "行政中心主楼")]
    [InlineData("-3.6 %", "-3.6 %")]
    [InlineData("+1,234.5", "+1,234.5")]
    [InlineData("", "")]
    public void A_cell_that_would_start_a_formula_is_quoted_as_text_and_numbers_are_left_alone(string cell, string expected) =>
        Assert.Equal(expected, SpreadsheetCells.Text(cell));

    [Fact]
    public void A_CSV_field_is_neutralised_then_quoted_with_its_quotes_doubled()
    {
        Assert.Equal("\"'=A1,\"\"x\"\"\"", SpreadsheetCells.Csv("=A1,\"x\""));
        Assert.Equal("\"a\nb\"", SpreadsheetCells.Csv("a\nb"));
    }

    [Fact]
    public void The_submission_CSV_and_workbook_show_a_hostile_institution_name_as_text()
    {
        var hostile = SubmissionTests.Clean() with { Basic = SubmissionTests.Clean().Basic with { Name = "=HYPERLINK(\"http://evil.example\")" } };

        var csv = System.Text.Encoding.UTF8.GetString(Submission.SubmissionExports.Csv([hostile]));
        Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.Contains("'=HYPERLINK", csv, StringComparison.Ordinal);

        using var stream = new MemoryStream(Submission.SubmissionExports.Xlsx([hostile], Submission.SubmissionExports.Summarise("320117", 2026, [hostile])));
        var sheet = MiniExcel.GetSheetNames(stream).First(n => n.Contains("HYPERLINK", StringComparison.Ordinal));
        stream.Position = 0;
        var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal("'=HYPERLINK(\"http://evil.example\")", rows.Single(r => (string?)r["指标名称"] == "单位名称")["本年"]);
    }
}
