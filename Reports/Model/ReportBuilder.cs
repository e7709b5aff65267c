using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Costs;
using EnergyMonitor.Analytics.Indicators;
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
        var savings = scope.Level == SeriesScope.Building && assessment is not null ? await SavingsAsync(scope.Id, period, language, cancellationToken).ConfigureAwait(false) : null;
        var targets = await TargetsAsync(scope, period, language, cancellationToken).ConfigureAwait(false);
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
        var own = rows.GroupBy(r => series[r.Series].Code).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));

        // An item series holds the meters coded exactly so: a sub-item's use is its own meters' plus its sub-items';
        // a category's is its main meters' (which measure everything below them), or its sub-items' where it has none.
        double Total(ItemCode code) => own.GetValueOrDefault(code.Code) + ItemCodes.All.Where(c => c.ParentCode == code.Code).Sum(Total);
        bool Present(ItemCode code) => own.ContainsKey(code.Code) || ItemCodes.All.Any(c => c.ParentCode == code.Code && Present(c));
        ItemNode Node(ItemCode code, double parentAmount)
        {
            var amount = code.IsCategory && own.TryGetValue(code.Code, out var main) ? main : Total(code);
            var children = ItemCodes.All.Where(c => c.ParentCode == code.Code && Present(c)).Select(c => Node(c, amount)).ToList();
            var unit = EnergyKinds.CanonicalUnit(code.Kind).Symbol;
            if (code.IsCategory && children.Count > 0 && amount - children.Sum(c => c.Amount) is var rest && rest > amount * 1e-6)
            {
                // What the main meters measured that no sub-meter accounts for: losses and loads nobody sub-metered.
                children.Add(new ItemNode(code.Code[..1] + code.Code[1..2] + "X00", ReportText.NotSubMetered, unit, rest, amount > 0 ? rest / amount : 0, []));
            }

            return new ItemNode(code.Code, code.Name, unit, amount, parentAmount > 0 ? amount / parentAmount : 1, children);
        }

        return [.. ItemCodes.All.Where(c => c.IsCategory && Present(c)).Select(c => Node(c, 0))];
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
        if (rows.Count == 0)
        {
            return (null, null);
        }

        var working = new double[24];
        var off = new double[24];
        var workingDays = new HashSet<DateOnly>();
        var offDays = new HashSet<DateOnly>();
        var heatmap = new double[24, period.Days];
        foreach (var row in rows)
        {
            var local = TimeZoneInfo.ConvertTime(row.Start, zone).DateTime;
            var day = DateOnly.FromDateTime(local);
            heatmap[local.Hour, day.DayNumber - period.First.DayNumber] += row.Amount;
            if (calendar.IsWorkingDay(day))
            {
                working[local.Hour] += row.Amount;
                workingDays.Add(day);
            }
            else
            {
                off[local.Hour] += row.Amount;
                offDays.Add(day);
            }
        }

        return (new LoadProfile([.. working.Select(v => workingDays.Count > 0 ? v / workingDays.Count : 0)], [.. off.Select(v => offDays.Count > 0 ? v / offDays.Count : 0)]), heatmap);
    }

    /// <summary>The building's electricity against the baseline fitted on the 365 days before the period.</summary>
    private async Task<SavingsSection?> SavingsAsync(string building, ReportPeriod period, Language language, CancellationToken cancellationToken)
    {
        if (site.Buildings.First(b => b.Id == building).WeatherStation is null)
        {
            return null;
        }

        var baseline = new DayRange(period.First.AddDays(-365), period.First.AddDays(-1));
        var reporting = new DayRange(period.First, period.End.AddDays(-1));
        var a = await assessment!.AssessAsync(building, EnergyKind.Electricity, baseline, reporting, cancellationToken).ConfigureAwait(false);
        var range = $"{baseline.First:yyyy-MM-dd} … {baseline.Last:yyyy-MM-dd}";
        if (a.Result.Model is not { } model)
        {
            return new SavingsSection(ReportText.NoModel.In(language), null, null, null, false, null, null, null, null, null, range, [.. a.Result.Sufficiency.Reasons, .. a.Notes], []);
        }

        var text = $"{model.Type}: {model.Intercept:N1} kWh/d" + (model.HeatingBalanceC is { } hb ? $" + {model.HeatingSlope:N2}·HDD({hb:0.#} °C)" : "") + (model.CoolingBalanceC is { } cb ? $" + {model.CoolingSlope:N2}·CDD({cb:0.#} °C)" : "");
        return new SavingsSection(text, model.Fit.R2, model.Fit.CvRmse, model.Fit.Nmbe, model.Fit.PassesGuideline14, a.Savings?.Predicted, a.Savings?.Actual, a.Savings?.Avoided,
            a.Savings?.Fraction, a.Savings?.FractionalUncertainty, range, a.Notes, a.ReportingDays);
    }

    /// <summary>
    /// The institutions' targets year to date (the period's end, or today), their quotas, and for an annual report
    /// their scores; with the change from the base year in each earlier year the rollups cover, for the chart.
    /// </summary>
    private async Task<TargetsSection?> TargetsAsync(ReportScope scope, ReportPeriod period, Language language, CancellationToken cancellationToken)
    {
        var institutions = scope.Level switch
        {
            SeriesScope.Building => [],
            SeriesScope.Institution => site.Institutions.Where(i => i.Id == scope.Id && i.Targets is not null).ToList(),
            _ => site.Institutions.Where(i => i.Targets is not null).ToList(),
        };
        if (institutions.Count == 0)
        {
            return null;
        }

        var zone = site.TimeZone;
        DateTimeOffset YearStart(int year) => RollupPeriods.Local(new DateTime(year, 1, 1), zone);
        var baseYear = institutions.Min(i => i.Targets!.BaseYear);
        var targetYear = institutions.Max(i => i.Targets!.TargetYear);
        var today = RollupPeriods.Start(RollupPeriod.Day, time.GetUtcNow(), zone);
        var periodEnd = RollupPeriods.Local(period.End.ToDateTime(TimeOnly.MinValue), zone);
        var through = periodEnd < today ? periodEnd : today;
        var series = institutions.SelectMany(i => EnergyKinds.Consumed.Select(k => SeriesGroups.Kind(SeriesScope.Institution, i.Id, k))).ToList();
        var daily = await rollups.RollupsAsync(series, RollupPeriod.Day, YearStart(Math.Min(baseYear, period.Year - 1)), through, cancellationToken).ConfigureAwait(false);

        var rows = new List<TargetRow>();
        var quotaUse = new List<QuotaUseRow>();
        var bands = new List<QuotaBandRow>();
        var scores = new List<ScoreRow>();
        var trajectory = new List<TrajectoryPoint>();
        var notes = new List<string>();
        var yearElapsed = (through - YearStart(period.Year)) / (YearStart(period.Year + 1) - YearStart(period.Year));
        foreach (var institution in institutions)
        {
            var t = institution.Targets!;
            var own = daily.Where(r => r.Series.StartsWith(SeriesKey.GroupPrefix(SeriesScope.Institution, institution.Id), StringComparison.Ordinal)).ToList();
            var indicators = IndicatorCalculator.Compute(site, institution, through, own, catalog);
            var span = (through - YearStart(period.Year)).TotalDays;
            var coverage = span > 0 ? own.Where(r => r.Start >= YearStart(period.Year)).Select(r => r.Start).Distinct().Count() / span : 0;
            if (coverage < TargetRow.JudgedCoverage)
            {
                notes.Add(ReportText.TargetsNotJudged(institution.Name, coverage, period.Year).In(language));
            }
            foreach (var a in indicators.Targets.Where(a => !double.IsNaN(a.BaseValue) && !double.IsNaN(a.CurrentValue)))
            {
                rows.Add(new TargetRow(institution.Name, a.Indicator.Name.In(language), a.Indicator.Unit, a.BaseValue, a.CurrentValue,
                    ScoreCalculator.AnnualStep(a.RequiredChange, t.BaseYear, t.TargetYear, period.Year), a.RequiredChange, a.AchievedChange, coverage));
            }

            notes.AddRange(indicators.Notes.Where(n => n.StartsWith("base year", StringComparison.Ordinal)).Select(n => $"{institution.Name}: {n}"));
            if (t.AnnualEnergyQuota is { } quota)
            {
                quotaUse.Add(new QuotaUseRow(institution.Name, indicators.Kgce, quota.Value, yearElapsed));
            }

            // The path: 0 in the base year, then each year the rollups cover (90 % of its days at least).
            trajectory.Add(new TrajectoryPoint(institution.Name, t.BaseYear, 0, 0));
            for (var year = t.BaseYear + 1; year <= period.Year; year++)
            {
                var end = year == period.Year ? through : YearStart(year + 1);
                var covered = own.Where(r => r.Start >= YearStart(year) && r.Start < end).Select(r => r.Start).Distinct().Count();
                var required = ScoreCalculator.AnnualStep(t.EnergyPerArea, t.BaseYear, t.TargetYear, year);
                var achieved = covered >= (end - YearStart(year)).TotalDays * 0.9 && end > YearStart(year)
                    ? IndicatorCalculator.Compute(site, institution, end, own, catalog).Targets.FirstOrDefault(a => a.Indicator == IndicatorId.EnergyPerArea)?.AchievedChange
                    : null;
                trajectory.Add(new TrajectoryPoint(institution.Name, year, required, achieved));
            }

            if (period.Kind == PeriodKind.Year && scorecard?.Scheme is { } scheme)
            {
                var result = ScoreCalculator.Score(scheme, institution, indicators, scorecard.InputsFor(period.Year).GetValueOrDefault(institution.Id) ?? ScoreInput.Empty);
                scores.Add(new ScoreRow(institution.Name, result.Score, result.Total, result.Grade, result.Vetoed, [.. result.Items.Select(i => (i.Name, i.Score, i.Points))]));
                foreach (var position in ScorecardSetup.Place(result, site, scorecard.Quotas))
                {
                    var q = position.Quota;
                    bands.Add(new QuotaBandRow(institution.Name, q.Name, q.Indicator, position.Value, q.Guide, q.Baseline, q.Constraint, position.Band, $"{q.Source} [{q.Confidence}]"));
                }
            }
        }

        if (yearElapsed < 1)
        {
            notes.Add(ReportText.TargetsToDate(period.Year, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(through, zone).DateTime)).In(language));
        }

        return new TargetsSection(baseYear, targetYear, rows, quotaUse, bands, scores, trajectory, notes);
    }
}
