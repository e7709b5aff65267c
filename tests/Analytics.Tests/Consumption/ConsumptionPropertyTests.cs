using CsCheck;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Tests.Consumption;

/// <summary>Rollups of generated counters (random use, missing readings, bad zero reads, a wrap, a replacement); the counter rules themselves are hunted in <see cref="AdversarialConsumptionTests"/>.</summary>
public sealed class ConsumptionPropertyTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly MeterId M = new("m1");
    private static readonly DateTimeOffset T0 = new(2026, 1, 31, 22, 0, 0, TimeSpan.FromHours(8)); // crosses a day and a month

    /// <summary>A generated meter history; CsCheck prints its description when a case fails.</summary>
    private sealed record Case(CounterRules Rules, List<Reading> Readings, string Description)
    {
        public override string ToString() => Description;
    }

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
        return new Case(rules, readings, $"{steps} steps, wraps {wraps}, replacement {(replacing ? replaceAt : -1)}");
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
