using System.Globalization;
using EnergyMonitor.Acquisition.Import;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Integration.Tests.Infrastructure;

namespace EnergyMonitor.Integration.Tests.Alerting;

/// <summary>
/// The weather archive client against a local HTTP server answering in the Open-Meteo historical API's documented
/// shape (no recorded answer could be fetched here: the machine has no internet), with a missing hour as the API
/// gives it (null).
/// </summary>
public sealed class WeatherArchiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Answer()
    {
        var times = Enumerable.Range(0, 48).Select(h => $"\"2025-01-{1 + (h / 24):D2}T{h % 24:D2}:00\"");
        var temps = Enumerable.Range(0, 48).Select(h => h == 30 ? "null" : (2 + (4 * Math.Sin(h * Math.PI / 12))).ToString("0.0", CultureInfo.InvariantCulture));
        return "{\"latitude\":31.65,\"longitude\":119.02,\"generationtime_ms\":0.2,\"utc_offset_seconds\":28800,\"timezone\":\"Asia/Shanghai\",\"timezone_abbreviation\":\"CST\",\"elevation\":18.0," +
            "\"hourly_units\":{\"time\":\"iso8601\",\"temperature_2m\":\"°C\"},\"hourly\":{\"time\":[" + string.Join(',', times) + "],\"temperature_2m\":[" + string.Join(',', temps) + "]}}";
    }

    [Fact]
    public async Task Hourly_temperatures_are_fetched_for_the_station_and_give_CalTRACK_daily_means()
    {
        await using var archive = new HttpEndpoint(_ => (200, Answer()));
        using var http = new HttpClient();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

        var readings = await new WeatherArchive(http, archive.Url("/v1/archive")).FetchAsync("lishui", 31.65, 119.02, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2), zone, Ct);

        var request = Assert.Single(archive.Received);
        Assert.Equal("/v1/archive", request.Path);
        Assert.Contains("latitude=31.65&longitude=119.02&start_date=2025-01-01&end_date=2025-01-02&hourly=temperature_2m&timezone=Asia%2FShanghai", request.Query, StringComparison.Ordinal);
        Assert.Equal(47, readings.Count); // the null hour is left out
        Assert.All(readings, r => Assert.Equal(WeatherSeries.Observations("lishui"), r.Meter));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), readings[0].Timestamp);
        var means = DailyTemperature.Means(readings.Select(r => new TemperatureObservation(r.Timestamp, r.Value)), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2), zone);
        Assert.Equal(2.0, means[0].MeanC!.Value, 1); // a full sine day averages to its midline
        Assert.NotNull(means[1].MeanC); // one missing hour is interpolated
    }

    [Fact]
    public async Task An_archive_error_is_reported_with_its_reason()
    {
        await using var archive = new HttpEndpoint(_ => (400, "{\"error\":true,\"reason\":\"Parameter 'start_date' is out of allowed range\"}"));
        using var http = new HttpClient();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new WeatherArchive(http, archive.Url("/v1/archive"))
            .FetchAsync("lishui", 31.65, 119.02, new DateOnly(1900, 1, 1), new DateOnly(1900, 1, 2), TimeZoneInfo.Utc, Ct));

        Assert.Contains("out of allowed range", e.Message, StringComparison.Ordinal);
    }
}
