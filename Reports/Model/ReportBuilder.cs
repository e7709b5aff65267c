using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Costs;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Reports.Model;

/// <summary>
/// Builds a <see cref="ConsumptionReport"/> from the rollups of a scope's series (never raw readings), the coefficient
/// set of the period's year, the site's facts and the alerts of the period.
/// </summary>
public sealed class ReportBuilder(SiteModel site, IConsumptionStore rollups, IAlertStore alerts, CoefficientCatalog catalog, HolidayCalendar calendar, TariffBook tariffs, TimeProvider time,
    BuildingAssessment? assessment = null, ScorecardSetup? scorecard = null)
{
    private readonly TargetsSectionBuilder _targets = new(site, rollups, catalog, time, scorecard);
    private readonly SavingsSectionBuilder? _savings = assessment is null ? null : new(site, assessment);

    public async Task<ConsumptionReport> BuildAsync(ReportScope scope, ReportPeriod period, Language language, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var notes = new List<string>();
        var scopeName = ScopeName(scope, language);
        var set = catalog.For(period.Year, site.Region.Code);
        var lastSet = catalog.TryFor(period.Year - 1, site.Region.Code) ?? set;
        DateTimeOffset At(DateOnly d) => RollupPeriods.Local(d.ToDateTime(TimeOnly.MinValue), zone);

        var kindSeries = EnergyKinds.Consumed.ToDictionary(k => SeriesGroups.Kind(scope.Level, scope.Id, k));
        var days = await rollups.RollupsAsync(kindSeries.Keys, RollupPeriod.Day, At(period.YearEarlier.First), At(period.End), cancellationToken).ConfigureAwait(false);
        var previousDays = await rollups.RollupsAsync(kindSeries.Keys, RollupPeriod.Day, At(period.Previous.First), At(period.Previous.End), cancellationToken).ConfigureAwait(false);
        bool In(RollupRow r, ReportPeriod p) => r.Start >= At(p.First) && r.Start < At(p.End);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var elapsedDays = Math.Max(0, Math.Min(period.End.DayNumber, today.DayNumber) - period.First.DayNumber);
        if (elapsedDays < period.Days)
        {
            notes.Add(ReportText.PeriodNotOver(elapsedDays, period.Days).In(language));
        }

        var totals = new List<KindTotal>();
        foreach (var (series, kind) in kindSeries)
        {
            var now = days.Where(r => r.Series == series && In(r, period)).ToList();
            if (now.Count == 0)
            {
                continue;
            }

            var amount = now.Sum(r => r.Amount);
            var lastYear = days.Where(r => r.Series == series && In(r, period.YearEarlier)).ToList();

            // A comparison with a period the data only partly covers would be a false change: none is given then.
            if (lastYear.Count < elapsedDays * 0.9)
            {
                lastYear = [];
            }

            var before = previousDays.Where(r => r.Series == series).ToList();
            var kgce = set.Kgce(kind)?.PerUnit * amount;
            var co2 = set.Co2PerUnit.GetValueOrDefault(kind)?.PerUnit * amount;
            var rejected = now.Sum(r => r.Rejected);
            var tariff = tariffs.For(kind, period.First);
            var priced = tariff is { IsTimeOfUse: true }
                ? await rollups.RollupsAsync([series], RollupPeriod.Hour, At(period.First), At(period.End), cancellationToken).ConfigureAwait(false)
                : now;
            var cost = tariffs.Cost(kind, priced, zone, out var approximated);
            if (approximated)
            {
                notes.Add(ReportText.CostApproximated(EnergyKinds.ConfigName(kind)).In(language));
            }

            totals.Add(new KindTotal(kind, EnergyKinds.CanonicalUnit(kind).Symbol, amount, kgce, co2,
                lastYear.Count > 0 ? Change(amount, lastYear.Sum(r => r.Amount)) : null,
                before.Count > 0 ? Change(amount, before.Sum(r => r.Amount)) : null,
                amount > 0 ? now.Sum(r => r.Estimated) / amount : 0,
                amount + rejected > 0 ? rejected / (amount + rejected) : 0,
                Math.Max(0, elapsedDays - now.Select(r => r.Start).Distinct().Count()))
            {
                Cost = cost,
            });
        }

        var totalKgce = totals.Sum(t => t.Kgce ?? 0);
        var totalCo2 = totals.Sum(t => t.Co2 ?? 0);
        var lastYearRows = days.Where(r => In(r, period.YearEarlier)).ToList();
        var lastYearCovered = lastYearRows.Select(r => r.Start).Distinct().Count() >= elapsedDays * 0.9;
        var lastYearKgce = totals.Count == 0 || !lastYearCovered ? (double?)null : KgceOf(lastYearRows, kindSeries, lastSet);
        if (!lastYearCovered && totals.Count > 0)
        {
            notes.Add(ReportText.LastYearIncomplete.In(language));
        }

        foreach (var missing in totals.Where(t => t.Kgce is null && t.Kind != EnergyKind.Water))
        {
            notes.Add(ReportText.NoKgceFactor(EnergyKinds.ConfigName(missing.Kind), set.Id).In(language));
        }

        var items = await ItemsAsync(scope, At(period.First), At(period.End), cancellationToken).ConfigureAwait(false);
        var indicators = Indicators(scope, period, totalKgce, lastYearKgce, totals, lastYearCovered ? lastYearRows : [], kindSeries);
        var monthly = await MonthlyAsync(scope, period, kindSeries, set, lastSet, cancellationToken).ConfigureAwait(false);
        var (profile, heatmap) = await ShapeAsync(scope, period, cancellationToken).ConfigureAwait(false);
        var daily = days.Where(r => In(r, period)).GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.Start, zone).DateTime)).OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyDictionary<EnergyKind, double>)g.Where(r => set.Kgce(kindSeries[r.Series]) is not null)
                .ToDictionary(r => kindSeries[r.Series], r => r.Amount * set.Kgce(kindSeries[r.Series])!.PerUnit))).ToList();
        var coefficients = totals.Select(t => new CoefficientRow(t.Kind, t.Unit, set.Kgce(t.Kind)?.PerUnit, set.Kgce(t.Kind)?.Source, set.Co2PerUnit.GetValueOrDefault(t.Kind)?.PerUnit, set.Co2PerUnit.GetValueOrDefault(t.Kind)?.Source)).ToList();
        var periodAlerts = (await alerts.ListAsync(new AlertQuery(Since: At(period.First), Limit: 10_000), cancellationToken).ConfigureAwait(false))
            .Where(a => a.OpenedAt < At(period.End) && InScope(scope, a.Finding))
            .Select(a => new ReportAlert(a.Id, a.Finding.Rule, a.Finding.Severity.ToString().ToLowerInvariant(), a.State.ToString().ToLowerInvariant(), a.OpenedAt, a.Finding.Summary.In(language)))
            .OrderBy(a => a.Opened).ToList();
        var title = ReportText.Title(scopeName, period.Title(language)).In(language);
        var basis = (set.Basis == ElectricityBasis.Equivalent ? ReportText.EquivalentValue : ReportText.EquivalentInputValue).In(language);
        var savings = scope.Level == SeriesScope.Building && _savings is not null ? await _savings.BuildAsync(scope.Id, period, language, cancellationToken).ConfigureAwait(false) : null;
        var targets = await _targets.BuildAsync(scope, period, language, cancellationToken).ConfigureAwait(false);
        notes.AddRange(targets?.Notes ?? []);
        return new ConsumptionReport(title, scopeName, scope, period, language, time.GetUtcNow(), zone, set.Id, basis, totals, totalKgce, totalCo2,
            lastYearKgce is { } ly ? Change(totalKgce, ly) : null, items, indicators, coefficients, periodAlerts, daily, monthly, profile, heatmap, notes)
        {
            Savings = savings,
            Targets = targets,
        };
    }

    private static double? Change(double now, double before) => before > 0 ? (now - before) / before : null;

    private static double KgceOf(IEnumerable<RollupRow> rows, Dictionary<string, EnergyKind> kinds, CoefficientSet set) =>
        rows.Sum(r => (set.Kgce(kinds[r.Series])?.PerUnit ?? 0) * r.Amount);

    private string ScopeName(ReportScope scope, Language language) => scope.Level switch
    {
        SeriesScope.Building => site.Buildings.FirstOrDefault(b => b.Id == scope.Id)?.Name ?? throw new ArgumentException($"no building \"{scope.Id}\" in the site"),
        SeriesScope.Institution => site.Institutions.FirstOrDefault(i => i.Id == scope.Id)?.Name ?? throw new ArgumentException($"no institution \"{scope.Id}\" in the site"),
        _ => ReportText.RegionScope(site.Region.Name).In(language),
    };

    private bool InScope(ReportScope scope, Finding finding) => scope.Level switch
    {
        SeriesScope.Building => finding.Building == scope.Id,
        SeriesScope.Institution => finding.Institution == scope.Id || site.Institutions.First(i => i.Id == scope.Id).Buildings.Any(b => b.Id == finding.Building),
        _ => true,
    };

    private async Task<IReadOnlyList<ItemNode>> ItemsAsync(ReportScope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var series = ItemCodes.All.ToDictionary(scope.ItemSeries, c => c);
        var rows = await rollups.RollupsAsync(series.Keys, RollupPeriod.Day, from, to, cancellationToken).ConfigureAwait(false);
        return ItemTree.Build(rows.GroupBy(r => series[r.Series].Code).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount)));
    }

    private List<IndicatorRow> Indicators(ReportScope scope, ReportPeriod period, double kgce, double? lastYearKgce, IReadOnlyList<KindTotal> totals, IReadOnlyList<RollupRow> lastYearRows, Dictionary<string, EnergyKind> kinds)
    {
        var (area, people) = Denominators(scope, period.Year);
        var (lastArea, lastPeople) = Denominators(scope, period.Year - 1);
        var water = totals.FirstOrDefault(t => t.Kind == EnergyKind.Water)?.Amount;
        var lastWater = lastYearRows.Where(r => kinds[r.Series] == EnergyKind.Water).Sum(r => r.Amount);
        static IndicatorRow Row(IndicatorId indicator, double? value, double? last) =>
            new(indicator, value, last, value is { } v && last is { } l && l > 0 ? (v - l) / l : null);
        var rows = new List<IndicatorRow>
        {
            Row(IndicatorId.EnergyPerArea, area > 0 ? kgce / area : null, lastYearKgce is { } lk && lastArea > 0 ? lk / lastArea : null),
        };
        if (scope.Level != SeriesScope.Building)
        {
            rows.Add(Row(IndicatorId.EnergyPerPerson, people > 0 ? kgce / people : null, lastYearKgce is { } lk2 && lastPeople > 0 ? lk2 / lastPeople : null));
            rows.Add(Row(IndicatorId.WaterPerPerson, people > 0 && water is { } w ? w / people : null, lastPeople > 0 && lastWater > 0 ? lastWater / lastPeople : null));
        }

        return rows;
    }

    /// <summary>Floor area and occupants of the scope in a year: a building's own area; an institution's or the region's facts, summed.</summary>
    private (double Area, int People) Denominators(ReportScope scope, int year)
    {
        if (scope.Level == SeriesScope.Building)
        {
            return (site.Buildings.First(b => b.Id == scope.Id).FloorArea.Value, 0);
        }

        var institutions = scope.Level == SeriesScope.Institution ? site.Institutions.Where(i => i.Id == scope.Id) : site.Institutions;
        var facts = institutions.Select(i => i.FactsFor(year)).ToList();
        return facts.Any(f => f is null) ? (0, 0) : (facts.Sum(f => f!.FloorArea.Value), facts.Sum(f => f!.Occupants));
    }

    private async Task<IReadOnlyList<(int Month, double ThisYear, double? LastYear)>> MonthlyAsync(ReportScope scope, ReportPeriod period, Dictionary<string, EnergyKind> kinds, CoefficientSet set, CoefficientSet lastSet, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var rows = await rollups.RollupsAsync(kinds.Keys, RollupPeriod.Month, RollupPeriods.Local(new DateTime(period.Year - 1, 1, 1), zone), RollupPeriods.Local(period.End.ToDateTime(TimeOnly.MinValue), zone), cancellationToken).ConfigureAwait(false);
        var byMonth = rows.GroupBy(r => TimeZoneInfo.ConvertTime(r.Start, zone).DateTime).ToDictionary(g => (g.Key.Year, g.Key.Month), g => g.ToList());
        var result = new List<(int, double, double?)>();
        for (var month = 1; month <= (period.Kind == PeriodKind.Year ? 12 : period.End.AddDays(-1).Month); month++)
        {
            var now = byMonth.GetValueOrDefault((period.Year, month));
            var last = byMonth.GetValueOrDefault((period.Year - 1, month));
            result.Add((month, now is null ? 0 : KgceOf(now, kinds, set), last is null ? null : KgceOf(last, kinds, lastSet)));
        }

        return result;
    }

    /// <summary>The period's electricity by hour: the mean day on working days and days off, and the hour × day matrix.</summary>
    private async Task<(LoadProfile?, double[,]?)> ShapeAsync(ReportScope scope, ReportPeriod period, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var series = SeriesGroups.Kind(scope.Level, scope.Id, EnergyKind.Electricity);
        var rows = await rollups.RollupsAsync([series], RollupPeriod.Hour, RollupPeriods.Local(period.First.ToDateTime(TimeOnly.MinValue), zone), RollupPeriods.Local(period.End.ToDateTime(TimeOnly.MinValue), zone), cancellationToken).ConfigureAwait(false);
        return LoadShape.Of(rows, period, zone, calendar);
    }
}
