using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Rollups;

/// <summary>A virtual meter with its formula expanded into physical meters and coefficients.</summary>
public sealed record ExpandedVirtualMeter(VirtualMeter Meter, IReadOnlyList<(string Series, double Coefficient)> Terms);

/// <summary>Virtual meters' rollups from their inputs' rollups. Pure.</summary>
public static class VirtualMeters
{
    /// <summary>Expands <c>children(x)</c> into the meters whose parent is x; a meter named twice gets the sum of its coefficients.</summary>
    public static ExpandedVirtualMeter Expand(VirtualMeter meter, SiteModel site)
    {
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in meter.Formula.Terms)
        {
            var ids = term.Children ? site.Meters.Where(m => m.Parent == term.Meter).Select(m => m.Id.Value) : [term.Meter.Value];
            foreach (var id in ids)
            {
                terms[id] = terms.GetValueOrDefault(id) + term.Coefficient;
            }
        }

        return new ExpandedVirtualMeter(meter, terms.Where(t => t.Value != 0).Select(t => (t.Key, t.Value)).ToList());
    }

    /// <summary>
    /// The formula applied period by period. Estimated and rejected amounts add up in absolute value: an estimate
    /// in a subtracted child makes the difference just as uncertain.
    /// </summary>
    public static IReadOnlyList<RollupRow> Combine(string series, RollupPeriod period, IReadOnlyList<(string Series, double Coefficient)> terms, IEnumerable<RollupRow> inputs)
    {
        var coefficients = terms.ToDictionary(t => t.Series, t => t.Coefficient, StringComparer.Ordinal);
        return inputs
            .Where(r => coefficients.ContainsKey(r.Series))
            .GroupBy(r => r.Start)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                double amount = 0, estimated = 0, rejected = 0;
                var flags = IntervalFlags.None;
                var intervals = 0;
                foreach (var r in g)
                {
                    var c = coefficients[r.Series];
                    amount += c * r.Amount;
                    estimated += Math.Abs(c) * r.Estimated;
                    rejected += Math.Abs(c) * r.Rejected;
                    flags |= r.Flags;
                    intervals = Math.Max(intervals, r.Intervals);
                }

                return new RollupRow(series, period, g.Key, amount, estimated, rejected, flags, intervals);
            })
            .ToList();
    }
}
