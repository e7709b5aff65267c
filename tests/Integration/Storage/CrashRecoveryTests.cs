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
    public async Task An_import_killed_while_writing_and_run_again_leaves_exact_counts_in_influxdb()
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
        string[] args = ["import", file, "--settings", Path.Combine(_dir, "appsettings.json")];

        await using (var first = ChildProcess.EnergyMonitor(args, _dir))
        {
            Assert.True(await first.WaitForOutputAsync("in one transaction", TimeSpan.FromSeconds(120), Ct), first.Output);
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

    /// <summary>
    /// SIGTERM while a large file is being written into the embedded store: the import is one transaction, so the
    /// database holds all of the file or none of it, and the command says which (it left 117,000 of 1,000,000 rows
    /// committed and printed nothing).
    /// </summary>
    [Fact]
    public async Task An_import_stopped_by_SIGTERM_stores_all_of_the_file_or_none_and_says_which()
    {
        SiteFixture.CopyExampleSite(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"), """
            { "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "db/em.db" } } } }
            """, Ct);
        const int rows = 400_000;
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var csv = new StringBuilder("meter,timestamp,value\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"adm-main-total,{start.AddMinutes(5 * i):yyyy-MM-ddTHH:mm:sszzz},{i * 0.5}\n");
        }

        var file = Path.Combine(_dir, "history.csv");
        await File.WriteAllTextAsync(file, csv.ToString(), Ct);

        await using var import = ChildProcess.EnergyMonitor(["import", file, "--settings", Path.Combine(_dir, "appsettings.json")], _dir);
        Assert.True(await import.WaitForOutputAsync("in one transaction", TimeSpan.FromSeconds(120), Ct), import.Output);
        import.Signal("TERM");
        var exit = await import.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dir, "db", "em.db")};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM readings";
        var stored = (long)(await count.ExecuteScalarAsync(Ct))!;
        if (exit == 130)
        {
            Assert.Equal(0, stored);
            Assert.Contains($"interrupted: none of the {rows} readings were stored", import.Output);
        }
        else
        {
            Assert.True(exit == 0, import.Output);
            Assert.Equal(rows, stored);
            Assert.Contains($"imported {rows} readings", import.Output);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
