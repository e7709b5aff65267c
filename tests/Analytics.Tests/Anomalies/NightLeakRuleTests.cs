using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Tests.Anomalies;

/// <summary>The night-flow leak rule: worked examples, and a generated suite of water meters with and without a planted leak.</summary>
public sealed class NightLeakRuleTests(ITestOutputHelper output)
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Hourly rows of one meter: <paramref name="flow"/> gives m³ for (day, local hour).</summary>
    private static List<RollupRow> Hours(int days, Func<int, int, double> flow) =>
        [.. Enumerable.Range(0, days * 24).Select(h => new RollupRow("w", RollupPeriod.Hour, Start.AddHours(h), flow(h / 24, h % 24), 0, 0, IntervalFlags.None, 4))];

    [Fact]
    public void Three_nights_in_a_row_above_the_floor_are_one_leak_and_two_are_none()
    {
        // An office: 1 m³/h by day, nothing at night. From day 10 a cistern runs: 0.05 m³/h every hour for 3 nights.
        var leak = Hours(14, (d, h) => (h is >= 8 and < 18 ? 1 : 0) + (d is >= 10 and < 13 ? 0.05 : 0));
        var shortRun = Hours(14, (d, h) => (h is >= 8 and < 18 ? 1 : 0) + (d is >= 10 and < 12 ? 0.05 : 0));

        var finding = Assert.Single(NightLeakRule.Evaluate("w", leak, Beijing, new NightLeakOptions()));

        Assert.Equal(new DateOnly(2025, 3, 11), finding.FirstNight);
        Assert.Equal(new DateOnly(2025, 3, 13), finding.LastNight);
        Assert.Equal([0.05, 0.05, 0.05], finding.NightMinima);
        Assert.Equal(0.01, finding.Threshold); // the night minimum was 0, so the floor decides
        Assert.Contains("疑似漏水", finding.SuggestedAction);
        Assert.Empty(NightLeakRule.Evaluate("w", shortRun, Beijing, new NightLeakOptions()));
    }

    [Fact]
    public void A_hospital_that_always_uses_water_at_night_is_judged_against_its_own_nights()
    {
        // 0.3 m³/h all night, every night: normal here. The threshold learned is 2 × 0.3 = 0.6; 0.8 for 4 nights is a leak.
        var normal = Hours(40, (_, h) => h is >= 7 and < 21 ? 3 : 0.3);
        var leak = Hours(40, (d, h) => (h is >= 7 and < 21 ? 3 : 0.3) + (d is >= 35 and < 39 ? 0.5 : 0));

        Assert.Empty(NightLeakRule.Evaluate("w", normal, Beijing, new NightLeakOptions()));
        var finding = Assert.Single(NightLeakRule.Evaluate("w", leak, Beijing, new NightLeakOptions()));
        Assert.Equal(0.6, finding.Threshold, 9);
        Assert.Equal(4, finding.NightMinima.Count);
    }

    [Fact]
    public void A_night_without_data_breaks_a_run_rather_than_being_skipped()
    {
        var rows = Hours(14, (d, h) => d is >= 8 and < 13 ? 0.05 : 0).Where(r => !(TimeZoneInfo.ConvertTime(r.Start, Beijing).Day == 11 && TimeZoneInfo.ConvertTime(r.Start, Beijing).Hour == 3)).ToList();

        // Leak nights 9, 10 | 11 incomplete | 12, 13: two runs of two, neither long enough.
        Assert.Empty(NightLeakRule.Evaluate("w", rows, Beijing, new NightLeakOptions()));
    }

    [Fact]
    public void Generated_meters_with_and_without_a_planted_leak_precision_and_recall()
    {
        // 240 meters × 60 days: offices (no night use but for rare drips under the floor and late cleaning), schools,
        // and hospitals and dormitories with steady night use; one-night and two-night events (a cistern left running)
        // on every kind; half of them get a leak of 3 to 10 nights, above what the meter usually shows at night.
        int truePositives = 0, falseNegatives = 0, falsePositives = 0, cleanMeters = 0, leakMeters = 0;
        for (var m = 0; m < 240; m++)
        {
            var random = new Random(m);
            var nightBase = m % 3 == 2 ? 0.1 + (random.NextDouble() * 0.9) : 0;
            var planted = m % 2 == 0;
            var leakStart = 35 + random.Next(15);
            var leakNights = 3 + random.Next(8);
            var leakFlow = nightBase > 0 ? nightBase * (1.3 + (random.NextDouble() * 2)) : 0.02 + (random.NextDouble() * 0.5);
            var shortEvent = random.Next(5, 30);
            var shortLength = 1 + random.Next(2);
            var rows = Hours(60, (d, h) =>
            {
                var day = h is >= 7 and < 20 ? 0.5 + (random.NextDouble() * 2) : 0;
                var night = nightBase > 0 ? nightBase * (0.9 + (random.NextDouble() * 0.2)) : random.NextDouble() < 0.05 ? 0.004 : 0;
                var cleaning = h is 21 or 22 ? random.NextDouble() : 0;
                var drip = d >= shortEvent && d < shortEvent + shortLength ? 0.08 : 0;
                var leak = planted && d >= leakStart && d < leakStart + leakNights ? leakFlow : 0;
                return day + night + cleaning + drip + leak;
            });

            var findings = NightLeakRule.Evaluate($"w{m}", rows, Beijing, new NightLeakOptions());
            var leakFirst = DateOnly.FromDateTime(Start.Date).AddDays(leakStart);
            var leakLast = leakFirst.AddDays(leakNights - 1);
            var hits = findings.Count(f => planted && f.FirstNight <= leakLast && f.LastNight >= leakFirst);
            falsePositives += findings.Count - hits;
            if (planted)
            {
                leakMeters++;
                truePositives += hits > 0 ? 1 : 0;
                falseNegatives += hits > 0 ? 0 : 1;
            }
            else
            {
                cleanMeters++;
            }
        }

        var recall = truePositives / (double)leakMeters;
        var precision = truePositives / (double)(truePositives + falsePositives);
        output.WriteLine($"night leak rule over 240 generated meters: recall {recall:P1} ({truePositives}/{leakMeters}), precision {precision:P1}, false alarms {falsePositives} over {cleanMeters} clean and {leakMeters} leaking meters");

        // Stated rates: every planted leak found; no more than one false alarm in 50 meters.
        Assert.Equal(1.0, recall);
        Assert.True(falsePositives <= 240 / 50, $"{falsePositives} false alarms");
    }
}
