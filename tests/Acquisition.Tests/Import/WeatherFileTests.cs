using EnergyMonitor.Acquisition.Import;
using MiniExcelLibs;

namespace EnergyMonitor.Acquisition.Tests.Import;

public sealed class WeatherFileTests : IDisposable
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly ImportLimits Limits = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(8)), TimeSpan.FromMinutes(5));

    private readonly string _dir = Directory.CreateTempSubdirectory("em-weather-").FullName;

    [Fact]
    public void Daily_means_in_a_workbook_with_date_cells_are_read_as_their_days()
    {
        // Excel stores 2025-01-02 as a date cell: it reached the parser as "2025-01-02 00:00" and was refused.
        var path = Path.Combine(_dir, "weather.xlsx");
        MiniExcel.SaveAs(path, new[]
        {
            new Dictionary<string, object> { ["station"] = "nanjing", ["date"] = new DateTime(2025, 1, 2), ["mean_temp_c"] = 3.5 },
            new Dictionary<string, object> { ["station"] = "nanjing", ["date"] = new DateTime(2025, 1, 3), ["mean_temp_c"] = 4.0 },
        });

        var (readings, errors) = WeatherFile.Read(path, Shanghai, Limits, TestContext.Current.CancellationToken);

        Assert.Empty(errors);
        Assert.Equal([new DateTimeOffset(2025, 1, 1, 16, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 2, 16, 0, 0, TimeSpan.Zero)], readings.Select(r => r.Timestamp));
        Assert.Equal([3.5, 4.0], readings.Select(r => r.Value));
    }

    [Fact]
    public void A_day_after_today_is_refused()
    {
        var path = Path.Combine(_dir, "weather.csv");
        File.WriteAllText(path, "station,date,mean_temp_c\nnanjing,2026-06-01,20\nnanjing,2026-06-02,21\n");

        var (readings, errors) = WeatherFile.Read(path, Shanghai, Limits, TestContext.Current.CancellationToken);

        Assert.Single(readings);
        Assert.Equal(3, Assert.Single(errors).Line);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
