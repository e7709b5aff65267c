using System.Diagnostics;
using System.Globalization;
using System.Text;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Costs;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Reports.Submission;
using EnergyMonitor.Site;
using EnergyMonitor.Storage.Embedded;

namespace EnergyMonitor.Bench;

/// <summary>
/// The statistical submission of N institutions with review: two years of daily and monthly rollups of electricity,
/// water and gas per institution in the embedded store, then build, tie out and review each, and write the region's
/// JSON and XLSX. Issue 13's goal: under 5 s for 100 institutions.
/// </summary>
internal static class SubmissionBench
{
    public static async Task RunAsync(int institutions)
    {
        var path = Path.Combine(Path.GetTempPath(), $"em-submission-bench-{Guid.NewGuid():N}.db");
        try
        {
            var site = Site(institutions);
            var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = path, Synchronous = SqliteSynchronous.Normal }, CancellationToken.None);
            var store = new SqliteConsumptionStore(database);
            var zone = site.TimeZone;
            var random = new Random(3);
            foreach (var institution in site.Institutions)
            {
                foreach (var kind in new[] { EnergyKind.Electricity, EnergyKind.Water, EnergyKind.NaturalGas })
                {
                    var series = SeriesGroups.Kind(SeriesScope.Institution, institution.Id, kind);
                    var scale = kind == EnergyKind.Electricity ? 3000 : 30;
                    var days = Enumerable.Range(0, 731).Select(d => new RollupRow(series, RollupPeriod.Day, new DateTimeOffset(new DateTime(2025, 1, 1).AddDays(d), TimeSpan.FromHours(8)), scale * (0.8 + (0.4 * random.NextDouble())), 0, 0, IntervalFlags.None, 96)).ToList();
                    await store.ReplaceRollupsAsync(series, RollupPeriod.Day, days[0].Start, days[^1].Start.AddDays(1), days, CancellationToken.None);
                    var months = days.GroupBy(r => (r.Start.Year, r.Start.Month)).Select(g => new RollupRow(series, RollupPeriod.Month, new DateTimeOffset(g.Key.Year, g.Key.Month, 1, 0, 0, 0, TimeSpan.FromHours(8)), g.Sum(r => r.Amount), 0, 0, IntervalFlags.None, 0)).ToList();
                    await store.ReplaceRollupsAsync(series, RollupPeriod.Month, months[0].Start, months[^1].Start.AddMonths(1), months, CancellationToken.None);
                }
            }

            var tariffs = new TariffBook([new Tariff(EnergyKind.Electricity, new DateOnly(2025, 1, 1), 0.7, [], "bench"), new Tariff(EnergyKind.Water, new DateOnly(2025, 1, 1), 5, [], "bench"), new Tariff(EnergyKind.NaturalGas, new DateOnly(2025, 1, 1), 4.4, [], "bench")]);
            for (var run = 0; run < 3; run++)
            {
                var memoryBefore = GC.GetTotalMemory(true);
                var clock = Stopwatch.StartNew();
                var builder = new SubmissionBuilder(site, store, CoefficientCatalog.Defaults, tariffs);
                var submissions = new List<InstitutionSubmission>();
                var findings = 0;
                foreach (var institution in site.Institutions)
                {
                    var s = await builder.BuildAsync(institution, 2026, CancellationToken.None);
                    submissions.Add(s);
                    findings += SubmissionReview.Check(s, institution, new ReviewOptions(), new Dictionary<string, string>(), [], await builder.TieOutAsync(institution, 2026, CancellationToken.None)).Count;
                }

                var summary = SubmissionExports.Summarise(site.Region.Code, 2026, submissions);
                var json = SubmissionExports.ToJson(submissions, summary);
                var xlsx = SubmissionExports.Xlsx(submissions, summary);
                Console.WriteLine($"run {run + 1}: {institutions} institutions built, tied out, reviewed ({findings} findings) and exported (JSON {json.Length / 1024:N0} KB, XLSX {xlsx.Length / 1024:N0} KB) in {clock.Elapsed.TotalMilliseconds:N0} ms; managed heap grew {(GC.GetTotalMemory(false) - memoryBefore) / 1_048_576.0:N1} MB; process peak {Environment.WorkingSet / 1_048_576.0:N0} MB working set");
            }
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

    private static SiteModel Site(int institutions)
    {
        var yaml = new StringBuilder("name: Bench\nregion: { code: \"320117\", name: 溧水区 }\ninstitutions:\n");
        for (var i = 0; i < institutions; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  - id: i{i:D3}
                    name: 单位{i:D3}
                    creditCode: 11320117MB0123456D
                    nature: "01"
                    facts:
                      - {"{"} year: 2025, floorArea: 10000, occupants: 300 {"}"}
                      - {"{"} year: 2026, floorArea: 10000, occupants: 300, vehiclesByFuel: {"{"} gasoline: 2 {"}"} {"}"}
                    buildings:
                      - {"{"} id: b{i:D3}, code: 320117A{(i % 999) + 1:D3}, name: b{i}, floorArea: 10000, climateZone: hot-summer-cold-winter, meters: [{"{"} id: m{i:D3}, name: m, kind: electricity {"}"}] {"}"}

                """);
        }

        var result = SiteConfigLoader.LoadText(yaml.ToString(), "bench.yaml", DateTimeOffset.UtcNow);
        return result.IsValid ? result.Require() : throw new InvalidOperationException(string.Join("\n", result.Errors.Take(5)));
    }
}
