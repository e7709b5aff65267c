using CsCheck;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Tests.Consumption;

/// <summary>Properties over generated counters: random use, missing readings, bad zero reads, a wrap, a replacement.</summary>
public sealed class ConsumptionPropertyTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly MeterId M = new("m1");
    private static readonly DateTimeOffset T0 = new(2026, 1, 31, 22, 0, 0, TimeSpan.FromHours(8)); // crosses a day and a month

    /// <summary>A generated meter history and the truth behind it.</summary>
    private sealed record Case(CounterRules Rules, List<Reading> Readings, double[] TrueCounter, string Description);

    private static readonly Gen<Case> Cases =
        from steps in Gen.Int[2, 400]
        from increments in Gen.Double[0, 40].Array[steps]
        from start in Gen.Double[1, 9000]
        from offGridMinutes in Gen.Int[0, 14]
        from wraps in Gen.Bool
        from replaceAt in Gen.Int[-1, steps - 1]
        from newInitial in Gen.Double[0, 500]
        from dropped in Gen.Bool.Array[steps]
        from zeroed in Gen.Int[0, 9].Array[steps]
        select Build(steps, increments, start, offGridMinutes, wraps, replaceAt, newInitial, dropped, zeroed);

    private static Case Build(int steps, double[] increments, double start, int offGrid, bool wraps, int replaceAt, double newInitial, bool[] dropped, int[] zeroed)
    {
        const double Wrap = 10_000;
        var truth = new double[steps];
        var readings = new List<Reading>();
        var replacements = new List<CounterReplacement>();
        var replacing = !wraps && replaceAt > 0;
        double total = start, offset = 0;
        for (var k = 0; k < steps; k++)
        {
            var t = T0.AddMinutes((15 * k) + offGrid);
            if (k > 0)
            {
                if (replacing && k == replaceAt)
                {
                    // Half of this step's use is on the old meter, half on the new one, which starts at newInitial.
                    var oldFinal = total + (increments[k] / 2);
                    replacements.Add(new CounterReplacement(t.AddMinutes(-7), oldFinal, newInitial));
                    offset = newInitial - oldFinal;
                }

                total += increments[k];
            }

            truth[k] = total;
            var device = (wraps ? total % Wrap : total) + offset;
            var first = k == 0;
            var last = k == steps - 1;
            if (!first && !last && dropped[k] && k % 3 == 0)
            {
                continue;
            }

            // A gateway's failed read: 0 instead of the counter, now and then, never first or last.
            readings.Add(new Reading(M, t, !first && !last && zeroed[k] == 0 ? 0 : device));
        }

        var rules = new CounterRules(ReadingMode.Cumulative, new IntervalGrid(TimeSpan.FromMinutes(15), Beijing), wraps ? Wrap : null, null, replacements, TimeSpan.FromHours(3));
        return new Case(rules, readings, truth, $"{steps} steps, wraps {wraps}, replacement {(replacing ? replaceAt : -1)}");
    }

    private static double TruthAt(Case c, DateTimeOffset t) => c.TrueCounter[(int)Math.Round((t - c.Readings[0].Timestamp).TotalMinutes / 15)];

    [Fact]
    public void The_intervals_add_up_to_the_counters_advance_corrected_for_wraps_and_replacements()
    {
        Cases.Sample(c =>
        {
            var result = ConsumptionCalculator.Compute(M, c.Rules, null, c.Readings, DateTimeOffset.MinValue);
            var decided = result.DecidedThrough ?? c.Readings[0].Timestamp;
            var expected = TruthAt(c, decided) - c.TrueCounter[0];
            var counted = result.Intervals.Sum(i => i.Amount + i.Rejected);
            Assert.True(Math.Abs(expected - counted) < 1e-6 * Math.Max(1, expected), $"{c.Description}: expected {expected}, counted {counted}");
            Assert.All(result.Intervals, i => Assert.True(i.Amount >= 0 && i.Estimated <= i.Amount + 1e-9));
        }, iter: 500);
    }

    [Fact]
    public void Recomputing_from_scratch_equals_the_incremental_result()
    {
        Cases.Select(Gen.Int[1, 1000], (c, cut) => (c, cut)).Sample(x =>
        {
            var (c, cut) = x;
            var split = 1 + (cut % (c.Readings.Count - 1));
            var full = ConsumptionCalculator.Compute(M, c.Rules, null, c.Readings, DateTimeOffset.MinValue);

            // First pass over the readings received so far.
            var first = ConsumptionCalculator.Compute(M, c.Rules, null, c.Readings[..split], DateTimeOffset.MinValue);

            // Then the rest arrives: recompute from the earlier of where the new readings start to matter and where
            // the first pass stopped deciding, starting from the last good reading at or before that point.
            var changedFrom = c.Readings[split - 1].Timestamp;
            var from = ConsumptionWindow.RecomputeFrom(c.Rules.Grid, changedFrom, first.DecidedThrough);
            var anchor = ConsumptionWindow.Anchor(c.Readings.Where(r => r.Timestamp <= from));
            var rest = c.Readings.Where(r => anchor is null || r.Timestamp > anchor.Value.Timestamp).ToList();
            var second = ConsumptionCalculator.Compute(M, c.Rules, anchor, rest, from);
            var incremental = first.Intervals.Where(i => i.Start < from).Concat(second.Intervals).ToList();

            Assert.Equal(full.Intervals.Select(i => i.Start), incremental.Select(i => i.Start));
            foreach (var (a, b) in full.Intervals.Zip(incremental))
            {
                Assert.True(Math.Abs(a.Amount - b.Amount) < 1e-6 && Math.Abs(a.Estimated - b.Estimated) < 1e-6 && a.Flags == b.Flags,
                    $"{c.Description}, split {split}, from {from:HH:mm}, anchor {anchor}: {a} vs {b}\n{string.Join("\n", c.Readings.Select(r => $"{r.Timestamp:HH:mm} {r.Value:F3}"))}\n{string.Join("; ", c.Rules.Replacements)}");
            }
        }, iter: 500);
    }

    [Fact]
    public void A_rollup_of_rollups_equals_a_rollup_of_the_raw_intervals()
    {
        Cases.Sample(c =>
        {
            var intervals = ConsumptionCalculator.Compute(M, c.Rules, null, c.Readings, DateTimeOffset.MinValue).Intervals;
            var hours = Rollup.OfIntervals("m1", intervals, RollupPeriod.Hour, Beijing);
            var days = Rollup.OfRows(hours, RollupPeriod.Day, Beijing);
            var monthsViaDays = Rollup.OfRows(days, RollupPeriod.Month, Beijing);
            var monthsDirect = Rollup.OfIntervals("m1", intervals, RollupPeriod.Month, Beijing);

            Assert.Equal(monthsDirect.Select(m => (m.Start, m.Intervals, m.Flags)), monthsViaDays.Select(m => (m.Start, m.Intervals, m.Flags)));
            foreach (var (a, b) in monthsDirect.Zip(monthsViaDays))
            {
                Assert.True(Math.Abs(a.Amount - b.Amount) < 1e-6 && Math.Abs(a.Estimated - b.Estimated) < 1e-6);
            }

            Assert.Equal(Rollup.OfIntervals("m1", intervals, RollupPeriod.Day, Beijing).Select(d => d.Intervals), days.Select(d => d.Intervals));
        }, iter: 300);
    }
}
