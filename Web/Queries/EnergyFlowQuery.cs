using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Queries;

/// <summary>A period of the energy flow: a month, or a whole year when <see cref="Month"/> is null.</summary>
public readonly record struct FlowPeriod(int Year, int? Month)
{
    public override string ToString() => Month is { } m ? $"{Year:D4}-{m:D2}" : $"{Year:D4}";

    public static bool TryParse(string text, out FlowPeriod period)
    {
        period = default;
        var parts = text.Split('-');
        if (parts.Length is < 1 or > 2 || parts[0].Length != 4 || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year) || year < 2000 || year > 2100)
        {
            return false;
        }

        if (parts.Length == 1)
        {
            period = new FlowPeriod(year, null);
            return true;
        }

        if (parts[1].Length != 2 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12)
        {
            return false;
        }

        period = new FlowPeriod(year, month);
        return true;
    }
}

/// <summary>The flow of one period in one unit: kgce over every kind with a standard-coal factor, or one kind in its own unit.</summary>
public sealed record EnergyFlowPage(FlowPeriod Period, string Unit, string UnitSymbol, string CoefficientSet, EnergyFlowGraph Graph);

/// <summary>
/// The energy flow (能流图) from the region through institutions and buildings to the 分项 items, from each meter's
/// monthly rollups, for the console's flow page and the API alike.
/// </summary>
public sealed class EnergyFlowQuery(SiteModel site, Core.Ports.IConsumptionStore rollups, CoefficientCatalog catalog, TimeProvider time)
{
    public const string Kgce = "kgce";

    /// <summary>The units the flow is drawn in: kgce, or a kind the site meters.</summary>
    public IReadOnlyList<string> Units => [Kgce, .. EnergyKinds.Consumed.Where(k => site.Meters.Any(m => m.Kind == k)).Select(EnergyKinds.ConfigName)];

    /// <summary>The period a request names (yyyy-MM or yyyy), or last month when it names none; not valid when the text is not a period.</summary>
    public (FlowPeriod Period, bool Valid) PeriodOf(string text)
    {
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone);
        var lastMonth = new DateTime(now.Year, now.Month, 1).AddMonths(-1);
        var fallback = new FlowPeriod(lastMonth.Year, lastMonth.Month);
        return text.Length == 0 ? (fallback, true) : FlowPeriod.TryParse(text, out var p) ? (p, true) : (fallback, false);
    }

    public async Task<EnergyFlowPage> GetAsync(FlowPeriod period, string unit, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var from = RollupPeriods.Local(new DateTime(period.Year, period.Month ?? 1, 1), zone);
        var to = period.Month is { } m ? RollupPeriods.Local(new DateTime(period.Year, m, 1).AddMonths(1), zone) : RollupPeriods.Local(new DateTime(period.Year + 1, 1, 1), zone);
        var meters = site.Meters.Where(x => !x.IsGauge).ToList();
        var rows = await rollups.RollupsAsync([.. meters.Select(x => x.Id.Value)], RollupPeriod.Month, from, to, cancellationToken).ConfigureAwait(false);
        var natural = rows.GroupBy(r => r.Series, StringComparer.Ordinal).ToDictionary(g => new MeterId(g.Key), g => g.Sum(r => r.Amount));
        var set = catalog.For(period.Year, site.Region.Code);
        if (unit != Kgce && EnergyKinds.TryParse(unit, out var kind))
        {
            return new EnergyFlowPage(period, unit, EnergyKinds.CanonicalUnit(kind).Symbol, set.Id, EnergyFlow.Build(site, natural, x => x.Kind == kind));
        }

        // Each meter converted by itself: a kind without a standard-coal factor (water) is left out of the flow.
        var kinds = meters.ToDictionary(x => x.Id, x => x.Kind);
        var converted = natural.ToDictionary(p => p.Key, p => EnergyConversion.Convert(new Dictionary<EnergyKind, double> { [kinds[p.Key]] = p.Value }, set).Kgce.Value);
        var withFactor = EnergyConversion.Convert(EnergyKinds.Consumed.ToDictionary(k => k, _ => 1.0), set).WithoutKgceFactor.ToHashSet();
        return new EnergyFlowPage(period, Kgce, "kgce", set.Id, EnergyFlow.Build(site, converted, x => !withFactor.Contains(x.Kind)));
    }
}
