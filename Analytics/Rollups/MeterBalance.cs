using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Rollups;

/// <summary>One period of a parent meter against its sub-meters: what the children do not account for.</summary>
/// <param name="Share">The remainder as a share of the parent; null when the parent used nothing.</param>
public readonly record struct BalancePoint(DateTimeOffset Start, double Parent, double Children, double Remainder, double? Share);

/// <summary>A meter's use in a span and how much of it the data does not stand behind.</summary>
/// <param name="EstimatedShare">Of the use, the part filled in by estimation (gaps, a counter reset); null without use.</param>
/// <param name="RejectedShare">Of what the meter reported, the part set aside as impossible (spikes over the physical maximum); null when it reported nothing.</param>
public readonly record struct MeterQuality(double Amount, double Estimated, double Rejected, double? EstimatedShare, double? RejectedShare);

/// <summary>Sub-metering arithmetic over rollups: the unmetered remainder (parent − Σ children) and a meter's data quality. Pure.</summary>
public static class MeterBalance
{
    /// <summary>
    /// Each period in which the parent and every child have a rollup: the parent, the children's sum, and the
    /// remainder. A period missing any child is left out rather than counted as the child using nothing, which
    /// would show its whole use as unmetered.
    /// </summary>
    public static IReadOnlyList<BalancePoint> Remainders(IReadOnlyList<RollupRow> parent, IReadOnlyList<IReadOnlyList<RollupRow>> children)
    {
        var byStart = children.Select(c => c.GroupBy(r => r.Start).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount))).ToList();
        return [.. parent.GroupBy(r => r.Start).OrderBy(g => g.Key)
            .Where(g => byStart.All(c => c.ContainsKey(g.Key)))
            .Select(g =>
            {
                var p = g.Sum(r => r.Amount);
                var sum = byStart.Sum(c => c[g.Key]);
                return new BalancePoint(g.Key, p, sum, p - sum, p > 0 ? (p - sum) / p : null);
            })];
    }

    public static MeterQuality Quality(IEnumerable<RollupRow> rows)
    {
        double amount = 0, estimated = 0, rejected = 0;
        foreach (var r in rows)
        {
            amount += r.Amount;
            estimated += r.Estimated;
            rejected += r.Rejected;
        }

        return new MeterQuality(amount, estimated, rejected, amount > 0 ? Math.Clamp(estimated / amount, 0, 1) : null, amount + rejected > 0 ? rejected / (amount + rejected) : null);
    }
}
