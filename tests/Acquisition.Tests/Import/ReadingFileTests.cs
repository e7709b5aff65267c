using System.IO.Compression;
using System.Text;
using CsCheck;
using EnergyMonitor.Acquisition.Import;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;
using EnergyMonitor.Site.Tests;
using MiniExcelLibs;

namespace EnergyMonitor.Acquisition.Tests.Import;

/// <summary>
/// Imports refuse the impossible with a row and a reason: times outside metering or in the future, two values for
/// one meter's time, files that are not what they are named, and files too large to hold. Nothing throws.
/// </summary>
public sealed class ReadingFileTests : IDisposable
{
    private static readonly SiteModel Site = SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now).Require();

    // Noon on 1 June 2026 in Nanjing: the clock every test judges "the future" by.
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(8));
    private static readonly ImportLimits Limits = new(Now, TimeSpan.FromMinutes(5));

    private readonly string _dir = Directory.CreateTempSubdirectory("em-import-").FullName;

    [Theory]
    [InlineData("2999-01-01 00:00")]
    [InlineData("9999-12-31 23:59")]
    [InlineData("1899-12-30 00:00")] // Excel's day 0
    [InlineData("1900-01-01 00:00")]
    [InlineData("0001-01-01 00:00")] // underflowed the offset: ArgumentOutOfRangeException
    [InlineData("0001-01-01T00:00:00+08:00")]
    [InlineData("2026-06-01T12:06:00+08:00")] // six minutes ahead, one more than Mqtt:FutureSkew allows
    public void A_time_outside_metering_or_in_the_future_is_refused_with_its_row(string time)
    {
        var (samples, errors) = ReadCsv($"meter,timestamp,value\ntotal,2026-05-01 10:00,1\ntotal,{time},2\n");

        var error = Assert.Single(errors);
        Assert.Equal((3, "timestamp"), (error.Line, error.Path));
        Assert.Single(samples);
    }

    [Fact]
    public void A_meter_clock_four_minutes_ahead_is_within_the_skew_MQTT_allows()
    {
        var (samples, errors) = ReadCsv("meter,timestamp,value\ntotal,2026-06-01T12:04:00+08:00,2\n");

        Assert.Empty(errors);
        Assert.Equal(Now.AddMinutes(4), Assert.Single(samples).Timestamp);
    }

    [Fact]
    public void Two_rows_giving_one_meter_two_values_at_one_time_are_refused_naming_both_rows()
    {
        // The same instant written two ways (local and with offset) is the same reading.
        var (_, errors) = ReadCsv("meter,timestamp,value\ntotal,2026-05-01 10:00,100\nlight,2026-05-01 10:00,7\ntotal,2026-05-01T02:00:00Z,101\n");

        var error = Assert.Single(errors);
        Assert.Equal(4, error.Line);
        Assert.Contains("but row 2 gives 100", error.Found);
    }

    [Fact]
    public void A_row_repeated_exactly_is_kept_once()
    {
        var (samples, errors) = ReadCsv("meter,timestamp,value\ntotal,2026-05-01 10:00,100\ntotal,2026-05-01 10:00,100\ntotal,2026-05-01 10:15,101\n");

        Assert.Empty(errors);
        Assert.Equal([100.0, 101.0], samples.Select(s => s.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("meter,timestamp,value\n")]
    [InlineData("meter,timestamp,value")]
    public void An_empty_file_or_one_with_only_a_header_is_an_error_not_zero_readings(string text)
    {
        var (samples, errors) = ReadCsv(text);

        Assert.Empty(samples);
        Assert.Equal("(file)", Assert.Single(errors).Path);
    }

    [Fact]
    public void A_binary_file_named_csv_is_one_error_without_its_bytes()
    {
        var path = Write("readings.csv", [.. Encoding.ASCII.GetBytes("meter,timestamp,value\n"), .. RandomBytes(20_000, seed: 7)]);

        var (_, errors) = Read(path);

        var error = Assert.Single(errors);
        Assert.Contains("binary content", error.Found);
    }

    [Fact]
    public void Latin_1_text_is_refused_as_not_UTF_8()
    {
        var path = Write("readings.csv", Encoding.Latin1.GetBytes("meter,timestamp,value\ntotal,2026-05-01 10:00,1 \u00e9\n"));

        Assert.Contains("not UTF-8", Assert.Single(Read(path).Errors).Found);
    }

    [Fact]
    public void Text_named_xlsx_and_a_zip_of_zeros_named_xlsx_are_refused_as_not_workbooks()
    {
        var text = Write("text.xlsx", Encoding.UTF8.GetBytes("meter,timestamp,value\ntotal,2026-05-01 10:00,1\n"));
        var zeros = Write("zeros.xlsx", new byte[4096]);

        Assert.Contains("not a zip archive", Assert.Single(Read(text).Errors).Found);
        Assert.Contains("not a zip archive", Assert.Single(Read(zeros).Errors).Found);
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_is_refused()
    {
        var path = Path.Combine(_dir, "photos.xlsx");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var entry = new StreamWriter(zip.CreateEntry("photo.txt").Open());
            entry.Write("not a sheet");
        }

        Assert.Contains("without xl/workbook.xml", Assert.Single(Read(path).Errors).Found);
    }

    [Fact]
    public void A_workbook_that_unzips_beyond_the_bound_is_refused_before_it_is_read()
    {
        var path = Workbook(50_000);

        var (samples, errors) = ReadingFile.Read(path, Site, Limits with { MaxExpandedBytes = 64 * 1024 }, TestContext.Current.CancellationToken);

        Assert.Empty(samples);
        Assert.Contains("unzips to", Assert.Single(errors).Found);
    }

    [Fact]
    public void A_file_with_more_rows_than_the_bound_stops_at_the_bound_without_reading_the_rest()
    {
        // 200,000 rows against a bound of 1,000: what is allocated is the first thousand rows', not the file's.
        var csv = new StringBuilder("meter,timestamp,value\n");
        var start = new DateTime(2025, 1, 1);
        for (var i = 0; i < 200_000; i++)
        {
            csv.Append("total,").Append(start.AddMinutes(15 * i).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).Append(",1\n");
        }

        var path = Write("big.csv", Encoding.UTF8.GetBytes(csv.ToString()));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var (_, errors) = ReadingFile.Read(path, Site, Limits with { MaxRows = 1000 }, TestContext.Current.CancellationToken);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("more than 1,000 rows", Assert.Single(errors).Found);
        Assert.True(allocated < 20_000_000, $"{allocated:N0} bytes allocated to refuse a 200,000-row file at row 1,001");
    }

    [Fact]
    public void Fifty_bad_rows_stop_the_reading_and_say_so()
    {
        var csv = new StringBuilder("meter,timestamp,value\n");
        for (var i = 0; i < 500; i++)
        {
            csv.Append("nobody,2026-05-01 10:00,1\n");
        }

        var (_, errors) = ReadCsv(csv.ToString());

        Assert.Equal(51, errors.Count);
        Assert.Contains("reading stopped here", errors[^1].Expected);
    }

    [Fact]
    public void A_workbook_is_read_like_the_csv()
    {
        var (samples, errors) = Read(Workbook(3));

        Assert.Empty(errors);
        Assert.Equal(3, samples.Count);
    }

    /// <summary>
    /// A workbook's sheet XML broken one way at a time (a typed cell without its value, a shared string that does not
    /// exist, a number that is text, markup cut off): each is an error or a reading, never an exception.
    /// </summary>
    [Theory]
    [InlineData("<v>", "<v>x")]
    [InlineData("t=\"n\"", "t=\"s\"")]
    [InlineData("</sheetData>", "<row r=\"9\"><c r=\"A9\" t=\"s\"><v>99999</v></c><c r=\"B9\" t=\"d\"></c><c r=\"C9\" t=\"e\"/></row></sheetData>")]
    [InlineData("</worksheet>", "")]
    [InlineData("<c ", "<c t=\"inlineStr\" ")]
    public void A_workbook_with_malformed_cells_is_refused_or_read_never_thrown(string find, string replace)
    {
        var path = Workbook(3);
        Mutate(path, "xl/worksheets/sheet1.xml", xml => xml.Replace(find, replace, StringComparison.Ordinal));

        var (samples, errors) = Read(path);

        Assert.True(errors.Count > 0 || samples.Count > 0);
    }

    /// <summary>Generated files: random bytes, and a valid file with random bytes overwritten. Never a throw; an error names a row and a reason.</summary>
    [Fact]
    public void Any_bytes_named_csv_or_xlsx_are_read_or_refused_never_thrown()
    {
        var valid = Encoding.UTF8.GetBytes("meter,timestamp,value,quality\ntotal,2026-05-01 10:00,1,0\nlight,2026-05-01 10:15,2.5,\nwater,2026-05-01T10:30:00+08:00,3e2,8\n");
        var workbook = File.ReadAllBytes(Workbook(3));
        var mutated = Gen.Select(Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Byte.Array[1, 16], (which, at, bytes) =>
        {
            var source = (byte[])(which == 0 ? valid : workbook).Clone();
            Array.Copy(bytes, 0, source, at % source.Length, Math.Min(bytes.Length, source.Length - (at % source.Length)));
            return (Bytes: which == 2 ? bytes : source, Name: which == 1 ? "f.xlsx" : "f.csv");
        });

        mutated.Sample(file =>
        {
            var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + file.Name);
            File.WriteAllBytes(path, file.Bytes);
            var (samples, errors) = ReadingFile.Read(path, Site, Limits, TestContext.Current.CancellationToken);
            File.Delete(path);
            return (errors.Count > 0 || samples.Count > 0) && errors.All(e => e.Expected.Length > 0 && !e.Found.Any(char.IsControl));
        }, iter: 400);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (IReadOnlyList<Core.Domain.Sample> Samples, IReadOnlyList<ConfigError> Errors) ReadCsv(string text) => Read(Write("readings.csv", Encoding.UTF8.GetBytes(text)));

    private static (IReadOnlyList<Core.Domain.Sample> Samples, IReadOnlyList<ConfigError> Errors) Read(string path) => ReadingFile.Read(path, Site, Limits, TestContext.Current.CancellationToken);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..6] + name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Workbook(int rows)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..6] + "readings.xlsx");
        var start = new DateTime(2025, 1, 1);
        MiniExcel.SaveAs(path, Enumerable.Range(0, rows).Select(i => new Dictionary<string, object> { ["meter"] = "total", ["timestamp"] = start.AddMinutes(15 * i), ["value"] = (double)i }));
        return path;
    }

    private static void Mutate(string path, string entryName, Func<string, string> change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(entryName)!;
        string xml;
        using (var reader = new StreamReader(entry.Open()))
        {
            xml = reader.ReadToEnd();
        }

        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
        writer.Write(change(xml));
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        bytes[100] = 0;
        return bytes;
    }
}
