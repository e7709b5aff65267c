using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Queries;

/// <summary>A meter in its building's tree: its depth under its parents, its status now and this month's data quality.</summary>
public sealed record MeterNode(MeterState State, int Depth, MeterQuality Month)
{
    /// <summary>Whether the data is in doubt: estimated above 5 % of the month's use, or anything rejected.</summary>
    public bool Suspect => Month.EstimatedShare > MeterTreeQuery.SuspectEstimatedShare || Month.Rejected > 0;
}

/// <summary>A parent meter against its sub-meters, day by day over the last 30 days.</summary>
public sealed record MeterBalanceRow(Meter Parent, IReadOnlyList<Meter> Children, IReadOnlyList<BalancePoint> Days)
{
    public double Parent30 => Days.Sum(d => d.Parent);

    public double Remainder30 => Days.Sum(d => d.Remainder);

    public double? Share30 => Parent30 > 0 ? Remainder30 / Parent30 : null;
}

public sealed record MeterTree(DateOnly MonthStart, IReadOnlyList<(Building Building, IReadOnlyList<MeterNode> Meters)> Buildings, IReadOnlyList<MeterBalanceRow> Balances);

/// <summary>
/// Every meter under its parent, with its status, its last reading and this month's estimated and rejected shares;
/// and each parent's unmetered remainder (parent − Σ children of the same kind) over the last 30 days. For the
/// console's meter page and the API alike.
/// </summary>
public sealed class MeterTreeQuery(SiteModel site, MeterStatusQuery statuses, IConsumptionStore rollups, TimeProvider time)
{
    /// <summary>Estimated use above this share of a month's use marks the meter's data as in doubt (the review's own 5 %).</summary>
    public const double SuspectEstimatedShare = 0.05;

    public async Task<MeterTree> GetAsync(string? buildingId, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);
        var today = DateOnly.FromDateTime(now.DateTime);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        DateTimeOffset Midnight(DateOnly d) => RollupPeriods.Local(d.ToDateTime(TimeOnly.MinValue), zone);
        var buildings = site.Buildings.Where(b => buildingId is null || b.Id == buildingId).ToList();
        var meters = buildings.SelectMany(b => b.Meters).Where(m => !m.IsGauge).ToList();
        var from = Midnight(today.AddDays(-30) < monthStart ? today.AddDays(-30) : monthStart);
        var rows = await rollups.RollupsAsync([.. meters.Select(m => m.Id.Value)], RollupPeriod.Day, from, Midnight(today.AddDays(1)), cancellationToken).ConfigureAwait(false);
        var bySeries = rows.GroupBy(r => r.Series, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<RollupRow>)[.. g], StringComparer.Ordinal);
        IReadOnlyList<RollupRow> Of(Meter m) => bySeries.GetValueOrDefault(m.Id.Value) ?? [];
        var states = (await statuses.ListAsync(buildingId, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Meter.Id);

        var tree = buildings.Select(b => (b, (IReadOnlyList<MeterNode>)[.. Ordered(b.Meters).Select(x =>
            new MeterNode(states[x.Meter.Id], x.Depth, MeterBalance.Quality(Of(x.Meter).Where(r => r.Start >= Midnight(monthStart)))))])).ToList();

        var lastDays = Midnight(today.AddDays(-30));
        var balances = meters
            .Select(p => (Parent: p, Children: (IReadOnlyList<Meter>)[.. meters.Where(c => c.Parent == p.Id && c.Kind == p.Kind)]))
            .Where(x => x.Children.Count > 0)
            .Select(x => new MeterBalanceRow(x.Parent, x.Children, MeterBalance.Remainders([.. Of(x.Parent).Where(r => r.Start >= lastDays && r.Start < Midnight(today))],
                [.. x.Children.Select(c => (IReadOnlyList<RollupRow>)[.. Of(c).Where(r => r.Start >= lastDays)])])))
            .ToList();
        return new MeterTree(monthStart, tree, balances);
    }

    /// <summary>A building's meters depth first: each root (no parent in the building), then its children under it.</summary>
    public static IEnumerable<(Meter Meter, int Depth)> Ordered(IReadOnlyList<Meter> meters)
    {
        var ids = meters.Select(m => m.Id).ToHashSet();
        var seen = new HashSet<MeterId>();
        IEnumerable<(Meter, int)> Walk(Meter m, int depth)
        {
            if (!seen.Add(m.Id))
            {
                yield break; // a cycle in a hand-written site file never loops the page
            }

            yield return (m, depth);
            foreach (var child in meters.Where(c => c.Parent == m.Id).SelectMany(c => Walk(c, depth + 1)))
            {
                yield return child;
            }
        }

        var ordered = meters.Where(m => m.Parent is not { } p || !ids.Contains(p)).SelectMany(m => Walk(m, 0)).ToList();
        return [.. ordered, .. meters.Where(m => !seen.Contains(m.Id)).Select(m => (m, 0))];
    }
}
