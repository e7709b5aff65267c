using System.Globalization;
using System.Text;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Influx;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>The collector killed with SIGKILL while readings flow through the outbox into a real influxd.</summary>
public sealed class CrashRecoveryTests(InfluxDbServer influx) : IClassFixture<InfluxDbServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-crash-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_import_killed_mid_batch_and_run_again_leaves_exact_counts_in_influxdb()
    {
        SiteFixture.CopyExampleSite(_dir);

        var database = "crash_" + Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"), $$"""
            { "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": {
                "Kind": "Influx",
                "Sqlite": { "Path": "db/em.db" },
                "Influx": { "Url": "{{influx.Url}}", "Database": "{{database}}" },
                "Outbox": { "BatchSize": 5000, "BatchDelay": "00:00:00.050" } } } }
            """, Ct);
        string[] meters = ["adm-main-total", "adm-main-light", "sch-water", "hos-gas", "hos-heat", "adm-annex-water"];
        const int perMeter = 10_000;
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var csv = new StringBuilder("meter,timestamp,value\n");
        for (var i = 0; i < perMeter; i++)
        {
            foreach (var meter in meters)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{meter},{start.AddMinutes(15 * i):yyyy-MM-ddTHH:mm:sszzz},{i * 1.5}\n");
            }
        }

        var file = Path.Combine(_dir, "history.csv");
        await File.WriteAllTextAsync(file, csv.ToString(), Ct);
        string[] args = ["import", file, "--settings", Path.Combine(_dir, "appsettings.json"), "--batch", "500"];

        await using (var first = ChildProcess.EnergyMonitor(args, _dir))
        {
            Assert.True(await first.WaitForOutputAsync("committed 20000", TimeSpan.FromSeconds(120), Ct), first.Output);
            first.Signal("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        }

        await using var second = ChildProcess.EnergyMonitor(args, _dir);
        Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(180), Ct) == 0, second.Output);

        using var store = new InfluxV1ReadingStore(new InfluxOptions { Url = influx.Url, Database = database });
        var counts = await store.CountAsync(start, start.AddYears(2), Ct);
        Assert.Equal(meters.Length, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(perMeter, c));
        Assert.Contains($"imported {meters.Length * perMeter} readings", second.Output);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
