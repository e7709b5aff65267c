using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Tests.Anomalies;

/// <summary>
/// After a gateway outage the consumption engine puts the hours it missed into the hour readings resumed (flagged
/// LongGap): that hour is a catch-up, not a burst of use, and the spike rule must not call it one.
/// </summary>
public sealed class SpikeCatchUpTests
{
    private static AnomalyInput WithCatchUp(AnomalyInput input, IntervalFlags flags)
    {
        var rows = input.Hourly["c2"].ToList();
        var resumed = rows.FindIndex(r => r.Start >= input.AsOf.AddHours(-10));
        var missed = rows.Skip(resumed - 6).Take(6).Sum(r => r.Amount);
        rows[resumed] = rows[resumed] with { Amount = rows[resumed].Amount + missed, Flags = flags };
        rows.RemoveRange(resumed - 6, 6);
        var hourly = input.Hourly.ToDictionary(h => h.Key, h => h.Value);
        hourly["c2"] = rows;
        return input with { Hourly = hourly };
    }

    [Fact]
    public void Six_missed_hours_caught_up_in_one_flagged_hour_are_no_spike_though_the_same_hour_unflagged_is()
    {
        var calendar = TestCalendars.China2025And2026;
        var flagged = 0;
        var unflagged = 0;
        for (var seed = 1; seed <= 40; seed++)
        {
            var clean = AnomalySuite.Generate(Planted.None, seed, calendar);
            flagged += new SpikeRule().Evaluate(WithCatchUp(clean, IntervalFlags.LongGap | IntervalFlags.Estimated)).Count(f => f.Subject == "c2");
            unflagged += new SpikeRule().Evaluate(WithCatchUp(clean, IntervalFlags.None)).Count(f => f.Subject == "c2");
        }

        Assert.Equal(0, flagged);
        Assert.True(unflagged >= 20, $"the lumped hour without its flag looked like a spike in only {unflagged} of 40 cases: the test would not show the difference");
    }
}
