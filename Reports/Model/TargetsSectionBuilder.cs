using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Reports.Model;

/// <summary>The targets section of a report: the institutions in scope against their reduction targets, quotas and scores.</summary>
public sealed class TargetsSectionBuilder(SiteModel site, IConsumptionStore rollups, CoefficientCatalog catalog, TimeProvider time, ScorecardSetup? scorecard)
{
    /// <summary>
    /// The institutions' targets year to date (the period's end, or today), their quotas, and for an annual report
    /// their scores; with the change from the base year in each earlier year the rollups cover, for the chart.
    /// </summary>
    public async Task<TargetsSection?> BuildAsync(ReportScope scope, ReportPeriod period, Language language, CancellationToken cancellationToken)
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

            notes.AddRange(indicators.Notes.Where(n => n.En.StartsWith("base year", StringComparison.Ordinal)).Select(n => $"{institution.Name}{(language.IsEnglish ? ": " : "：")}{n.In(language)}"));
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
