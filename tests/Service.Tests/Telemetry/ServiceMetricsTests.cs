using System.Text;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Service.Telemetry;
using EnergyMonitor.Site;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Service.Tests.Telemetry;

public sealed class ServiceMetricsTests
{
    private static readonly DateTimeOffset T = SiteYaml.Now;

    [Fact]
    public async Task Point_series_count_under_their_meters_source_and_each_reading_observes_its_store_lag()
    {
        var site = SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now).Require();
        var metrics = new ServiceMetrics(site);

        metrics.Ingested(
        [
            new Reading(new MeterId("total"), T, 100, ReadingQuality.Good),
            new Reading(new MeterId("total/power_total"), T.AddSeconds(58), 12.5, ReadingQuality.Good), // a fast point of the same meter
            new Reading(new MeterId("nobody/power_total"), T, 1, ReadingQuality.Good),
            new Reading(new MeterId("light"), T, 0, ReadingQuality.Missing), // a gap, not an ingested reading
        ], durableAt: T.AddMinutes(1));

        var text = await TextAsync(metrics);
        Assert.Contains("energymonitor_readings_ingested_total{source=\"modbus/gw1\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("energymonitor_readings_ingested_total{source=\"other\"} 1", text, StringComparison.Ordinal);

        // Lags of 60 s and 2 s: one in the 2.5 s bucket, both by 60 s, their sum 62 s.
        Assert.Contains("energymonitor_reading_store_lag_seconds_bucket{source=\"modbus/gw1\",le=\"2.5\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("energymonitor_reading_store_lag_seconds_bucket{source=\"modbus/gw1\",le=\"60\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("energymonitor_reading_store_lag_seconds_sum{source=\"modbus/gw1\"} 62", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_meter_answers_are_counted_by_gateway_and_kind_of_fault()
    {
        var site = SiteConfigLoader.LoadText(SiteYaml.Valid, "site.yaml", SiteYaml.Now).Require();
        var metrics = new ServiceMetrics(site);

        metrics.FrameFault("gw-645", MeterProtocols.MeterFrameFault.Checksum);
        metrics.FrameFault("gw-645", MeterProtocols.MeterFrameFault.Checksum);
        metrics.FrameFault("gw-645", MeterProtocols.MeterFrameFault.UnknownUnit);

        var text = await TextAsync(metrics);
        Assert.Contains("energymonitor_frame_faults_total{gateway=\"gw-645\",fault=\"Checksum\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("energymonitor_frame_faults_total{gateway=\"gw-645\",fault=\"UnknownUnit\"} 1", text, StringComparison.Ordinal);
    }

    private static async Task<string> TextAsync(ServiceMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
