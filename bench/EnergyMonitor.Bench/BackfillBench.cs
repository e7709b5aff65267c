using System.Diagnostics;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Postgres;

namespace EnergyMonitor.Bench;

/// <summary>
/// Consumption analytics on the embedded store, and with a connection string on PostgreSQL too in the same run: the
/// backfill of N meters × D days of 15-minute counters, one incremental pass after one new reading per meter, and the
/// read of a region's daily rollups for the year.
/// </summary>
internal static class BackfillBench
{
    public static async Task RunAsync(int meters, int days, string? keepDatabase, string? postgres = null)
    {
        var dir = Directory.CreateTempSubdirectory("em-backfill-bench-").FullName;
        var path = keepDatabase ?? Path.Combine(dir, "bench.db");
        try
        {
            var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = path, Synchronous = SqliteSynchronous.Normal }, CancellationToken.None);
            using var sqliteReadings = new SqliteReadingStore(database);
            var sqlite = await RunOnAsync("SQLite", meters, days, sqliteReadings, new SqliteConsumptionStore(database), 1, () => $"file {new FileInfo(path).Length / 1e6:F0} MB");
            if (postgres is not null)
            {
                await using var pg = await PostgresDatabase.OpenAsync(new PostgresOptions { ConnectionString = postgres }, CancellationToken.None);
                // As the service runs it (ServiceRegistration.AddAnalytics): 8 meters in flight on PostgreSQL.
                var server = await RunOnAsync("PostgreSQL", meters, days, new PostgresReadingStore(pg), new PostgresConsumptionStore(pg), 8, () => "");
                Console.WriteLine($"PostgreSQL against SQLite, same data: load {server.Load / sqlite.Load:F2}×, backfill {server.Backfill / sqlite.Backfill:F2}×, incremental {server.Incremental / sqlite.Incremental:F2}× the time");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(double Load, double Backfill, double Incremental)> RunOnAsync(string name, int meters, int days, IReadingStore readings, IConsumptionStore store, int parallelism, Func<string> size)
    {
        Console.WriteLine($"— {name}, {parallelism} meter(s) at a time");
        {
            // About 30 meters a building: 10 buildings at 100 meters, 333 at 10,000 (the group series grow with them).
            var site = BenchSite.Create(meters, buildings: Math.Max(10, meters / 30));
            var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
            var total = (long)meters * days * 96;

            var load = Stopwatch.StartNew();
            var random = new Random(7);
            var counters = new double[meters];
            var batch = new List<Reading>(100_000);
            for (var k = 0; k < days * 96; k++)
            {
                var t = from.AddMinutes(15 * k);
                for (var m = 0; m < meters; m++)
                {
                    counters[m] += random.NextDouble() * 5;
                    batch.Add(new Reading(new MeterId($"m{m:D4}"), t, counters[m]));
                    if (batch.Count == batch.Capacity)
                    {
                        await readings.WriteAsync(batch, CancellationToken.None);
                        batch.Clear();
                    }
                }
            }

            await readings.WriteAsync(batch, CancellationToken.None);
            var loadSeconds = load.Elapsed.TotalSeconds;
            Console.WriteLine($"loaded {total:N0} readings ({meters} meters × {days} days × 96) in {load.Elapsed.TotalSeconds:F1} s, {total / load.Elapsed.TotalSeconds:N0} readings/s; {size()}");

            var engine = new ConsumptionEngine(site, readings, store, new ConsumptionOptions { MeterParallelism = parallelism });
            var backfill = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var summary = await engine.BackfillAsync(from, null, null, CancellationToken.None);
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var backfillSeconds = backfill.Elapsed.TotalSeconds;
            Console.WriteLine($"backfill: {backfill.Elapsed.TotalSeconds:F1} s, {total / backfill.Elapsed.TotalSeconds:N0} readings/s, CPU {cpuUsed.TotalSeconds:F1} s; {summary.Intervals:N0} intervals, {summary.Groups} group series");

            var next = from.AddDays(days);
            await readings.WriteAsync(Enumerable.Range(0, meters).Select(m => new Reading(new MeterId($"m{m:D4}"), next, counters[m] + 1)).ToList(), CancellationToken.None);
            var pass = Stopwatch.StartNew();
            var incremental = await engine.RunPassAsync(null, CancellationToken.None);
            var passSeconds = pass.Elapsed.TotalSeconds;
            Console.WriteLine($"incremental pass after one new reading per meter: {pass.Elapsed.TotalMilliseconds:F0} ms for {incremental.Meters} meters, {incremental.Groups} group series");

            var region = SeriesGroups.Kind(SeriesScope.Region, site.Region.Code, EnergyKind.Electricity);
            var read = Stopwatch.StartNew();
            var year = await store.RollupsAsync([region], RollupPeriod.Day, from, from.AddYears(1), CancellationToken.None);
            Console.WriteLine($"region-year read: {year.Count} daily rows in {read.Elapsed.TotalMilliseconds:F1} ms (total {year.Sum(d => d.Amount):N0} kWh)");
            return (loadSeconds, backfillSeconds, passSeconds);
        }
    }
}
