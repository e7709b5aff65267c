using System.Diagnostics;
using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Alerts;

/// <summary>What one pass found and did.</summary>
public sealed record AlertPassSummary(int Findings, int Raised, int Refreshed, int Reopened, int Resolved, TimeSpan Elapsed);

/// <summary>The alerting configuration the pass runs with.</summary>
public sealed record AlertingOptions
{
    public AnomalyOptions Anomalies { get; init; } = new();

    public AlertPolicy Policy { get; init; } = AlertPolicy.Default;

    public IReadOnlyList<AlertRoute> Routes { get; init; } = [];

    public IReadOnlyList<double>? MonthlyBudgetShares { get; init; }
}

/// <summary>
/// The anomaly pass after each rollup: reads the learning window of hourly rollups (never raw readings, except each
/// meter's newest timestamp), runs every rule, and applies the lifecycle's changes with their notifications.
/// </summary>
public sealed class AnomalyPass(SiteModel site, IConsumptionStore rollups, IReadingStore readings, IAlertStore alerts, CoefficientCatalog catalog, HolidayCalendar calendar, AlertingOptions options)
{
    private readonly IReadOnlyList<IAnomalyRule> _rules = AnomalyRules.All(options.MonthlyBudgetShares);

    public async Task<AnomalyInput> ReadInputAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var hourStart = RollupPeriods.Start(RollupPeriod.Day, asOf, site.TimeZone).AddDays(-(options.Anomalies.LearningDays + 1));
        var meterSeries = site.Meters.Where(m => !m.IsGauge).Select(m => m.Id.Value).ToList();
        var buildingSeries = site.Buildings.Select(b => SeriesGroups.Kind(SeriesScope.Building, b.Id, EnergyKind.Electricity)).ToList();
        var hourlyRows = await rollups.RollupsAsync([.. meterSeries, .. buildingSeries], RollupPeriod.Hour, hourStart, asOf, cancellationToken).ConfigureAwait(false);
        var monthStart = RollupPeriods.Start(RollupPeriod.Month, asOf.AddDays(-8), site.TimeZone);
        var institutionSeries = site.Institutions.SelectMany(i => EnergyKinds.Consumed.Select(k => SeriesGroups.Kind(SeriesScope.Institution, i.Id, k))).ToList();
        var dailyRows = await rollups.RollupsAsync(institutionSeries, RollupPeriod.Day, monthStart, asOf, cancellationToken).ConfigureAwait(false);
        var last = new Dictionary<MeterId, DateTimeOffset>();
        foreach (var meter in site.Meters)
        {
            if (await readings.LatestAsync(meter.Id, asOf, cancellationToken).ConfigureAwait(false) is { } reading)
            {
                last[meter.Id] = reading.Timestamp;
            }
        }

        return new AnomalyInput(site, asOf, Group(hourlyRows), Group(dailyRows), last, calendar,
            catalog.For(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(asOf, site.TimeZone).DateTime).Year, site.Region.Code), options.Anomalies);
    }

    /// <summary>Every rule's findings, with those a stronger finding explains folded into it (<see cref="Consequences"/>).</summary>
    /// <param name="open">The findings of the alerts open before this pass.</param>
    public IReadOnlyList<Finding> Evaluate(AnomalyInput input, IReadOnlyList<Finding>? open = null) => Consequences.Fold(input, [.. _rules.SelectMany(r => r.Evaluate(input))], open);

    public async Task<AlertPassSummary> RunAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var input = await ReadInputAsync(asOf, cancellationToken).ConfigureAwait(false);
        var kept = await alerts.CurrentAsync(asOf - options.Policy.Cooldown, cancellationToken).ConfigureAwait(false);
        var findings = Evaluate(input, [.. kept.Where(a => a.IsActive).Select(a => a.Finding)]);
        var changes = AlertLifecycle.Decide(kept, findings, AnomalyRules.Ids.ToHashSet(StringComparer.Ordinal), asOf, options.Policy, options.Routes);
        await alerts.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
        return new AlertPassSummary(findings.Count, changes.Count(c => c is AlertChange.Raise), changes.Count(c => c is AlertChange.Refresh),
            changes.Count(c => c is AlertChange.Reopen), changes.Count(c => c is AlertChange.Resolve), clock.Elapsed);
    }

    private static Dictionary<string, IReadOnlyList<RollupRow>> Group(IReadOnlyList<RollupRow> rows) =>
        rows.GroupBy(r => r.Series, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<RollupRow>)[.. g.OrderBy(r => r.Start)], StringComparer.Ordinal);
}
