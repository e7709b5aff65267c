using System.Diagnostics;
using EnergyMonitor.Analytics.Alerts;
using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Storage.Embedded;

namespace EnergyMonitor.Bench;

/// <summary>
/// The anomaly pass after a rollup over N meters: 29 days of hourly rollups per meter and per building in the embedded
/// store, the newest reading of each meter, every rule, and the lifecycle's changes applied. Issue 12's goal: under 2 s
/// for 1,000 meters. Reports the read, the rules and the whole pass apart, first run (cold) and median of the rest.
/// </summary>
internal static class AnomalyBench
{
    public static async Task RunAsync(int meters, int runs)
    {
        var path = Path.Combine(Path.GetTempPath(), $"em-anomaly-bench-{Guid.NewGuid():N}.db");
        try
        {
            var site = BenchSite.Create(meters, buildings: 10);
            var zone = site.TimeZone;
            var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = path, Synchronous = SqliteSynchronous.Normal }, CancellationToken.None);
            using var readings = new SqliteReadingStore(database);
            var rollups = new SqliteConsumptionStore(database);
            var asOf = RollupPeriods.Local(new DateTime(2026, 6, 3, 7, 0, 0), zone);
            var from = asOf.AddDays(-29);
            var random = new Random(7);
            var setup = Stopwatch.StartNew();
            foreach (var meter in site.Meters)
            {
                var rows = new List<RollupRow>();
                for (var t = from; t < asOf; t = t.AddHours(1))
                {
                    var hour = TimeZoneInfo.ConvertTime(t, zone).Hour;
                    rows.Add(new RollupRow(meter.Id.Value, RollupPeriod.Hour, t, (hour is >= 8 and < 18 ? 10 : 3) * (0.9 + (0.2 * random.NextDouble())), 0, 0, IntervalFlags.None, 4));
                }

                await rollups.ReplaceRollupsAsync(meter.Id.Value, RollupPeriod.Hour, from, asOf, rows, CancellationToken.None);
                await readings.WriteAsync([new Reading(meter.Id, asOf.AddMinutes(-10), 1000)], CancellationToken.None);
            }

            foreach (var building in site.Buildings)
            {
                await rollups.SumRollupsAsync(SeriesGroups.Kind(SeriesScope.Building, building.Id, EnergyKind.Electricity), [.. building.Meters.Select(m => m.Id.Value)], RollupPeriod.Hour, from, asOf, CancellationToken.None);
            }

            Console.WriteLine($"{meters} meters, {meters * 29 * 24:N0} hourly rows written in {setup.Elapsed.TotalSeconds:F1} s");
            var pass = new AnomalyPass(site, rollups, readings, new SqliteAlertStore(database), CoefficientCatalog.Defaults, HolidayCalendar.WeekendsOnly, new AlertingOptions());
            var parts = Stopwatch.StartNew();
            var hourlyRows = await rollups.RollupsAsync([.. site.Meters.Select(m => m.Id.Value)], RollupPeriod.Hour, from, asOf, CancellationToken.None);
            var rollupMs = parts.Elapsed.TotalMilliseconds;
            parts.Restart();
            foreach (var meter in site.Meters)
            {
                _ = await readings.LatestAsync(meter.Id, asOf, CancellationToken.None);
            }

            Console.WriteLine($"of the read: {hourlyRows.Count:N0} hourly rows in {rollupMs:F0} ms; newest reading of each meter in {parts.Elapsed.TotalMilliseconds:F0} ms");
            var read = new List<double>();
            var rules = new List<double>();
            var whole = new List<double>();
            for (var i = 0; i <= runs; i++)
            {
                var clock = Stopwatch.StartNew();
                var input = await pass.ReadInputAsync(asOf, CancellationToken.None);
                read.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                var findings = pass.Evaluate(input);
                rules.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                await pass.RunAsync(asOf, CancellationToken.None);
                whole.Add(clock.Elapsed.TotalMilliseconds);
                if (i == 0)
                {
                    Console.WriteLine($"findings on the generated data: {findings.Count}");
                }
            }

            static string Show(List<double> ms) => $"first {ms[0]:F0} ms, median {ms.Skip(1).Order().ElementAt((ms.Count - 1) / 2):F0} ms";
            Console.WriteLine($"read input: {Show(read)}; rules: {Show(rules)}; whole pass (read, rules, apply): {Show(whole)}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }
}
