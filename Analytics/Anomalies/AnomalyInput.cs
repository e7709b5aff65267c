using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// What the anomaly rules look at in one pass, read once from the stores: hourly rollups of every meter and every
/// building's kind series over the learning window, daily rollups of the institutions for the budget, and when each
/// meter last reported. Rules are pure functions of this.
/// </summary>
/// <param name="AsOf">The pass's instant: only conditions holding now are findings.</param>
/// <param name="Hourly">Hourly rows by series (a meter id, or <c>building/b1/electricity</c>), oldest first.</param>
/// <param name="Daily">Daily rows by series (<c>institution/i1/electricity</c> …) from the start of last month, oldest first.</param>
/// <param name="LastReadings">When each meter's newest reading was taken; a meter absent here never reported.</param>
public sealed record AnomalyInput(
    SiteModel Site,
    DateTimeOffset AsOf,
    IReadOnlyDictionary<string, IReadOnlyList<RollupRow>> Hourly,
    IReadOnlyDictionary<string, IReadOnlyList<RollupRow>> Daily,
    IReadOnlyDictionary<MeterId, DateTimeOffset> LastReadings,
    HolidayCalendar Calendar,
    CoefficientSet Coefficients,
    AnomalyOptions Options)
{
    public TimeZoneInfo Zone => Site.TimeZone;

    public IReadOnlyList<RollupRow> HourlyOf(string series) => Hourly.TryGetValue(series, out var rows) ? rows : [];

    public DateTime Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone).DateTime;

    /// <summary>The last local day that has ended by <see cref="AsOf"/>.</summary>
    public DateOnly LastCompleteDay => DateOnly.FromDateTime(Local(AsOf)).AddDays(-1);

    /// <summary>Where a meter sits, for the alert's building and institution.</summary>
    public (Building Building, Institution Institution) PlaceOf(MeterId meter)
    {
        foreach (var institution in Site.Institutions)
        {
            foreach (var building in institution.Buildings)
            {
                if (building.Meters.Any(m => m.Id == meter))
                {
                    return (building, institution);
                }
            }
        }

        throw new ArgumentException($"meter {meter} is not in the site", nameof(meter));
    }
}

/// <summary>
/// The rules' thresholds. Each default is stated, with why, in docs/DOMAIN.md#anomalies; most rules learn a meter's
/// normal from its own history and these only bound that. Per-meter overrides change a meter's thresholds or turn
/// rules off for it.
/// </summary>
public sealed record AnomalyOptions
{
    /// <summary>Days of hourly history a rule learns from (28: four of each weekday).</summary>
    public int LearningDays { get; init; } = 28;

    /// <summary>A meter is silent after this many of its intervals without a reading, and never before one hour.</summary>
    public int SilentIntervals { get; init; } = 4;

    /// <summary>A silent meter becomes critical after this long.</summary>
    public TimeSpan SilentCritical { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The shortest run of flat hours that counts as stuck, whatever the meter's history (6 h).</summary>
    public int StuckMinimumHours { get; init; } = 6;

    /// <summary>An hour is a spike above this multiple of the most the meter used in that hour of day over the learning window.</summary>
    public double SpikeFactor { get; init; } = 2.5;

    /// <summary>Night or day-off use counts as excessive above its learned share times this, and by at least <see cref="BaseloadMadFactor"/> MADs.</summary>
    public double BaseloadFactor { get; init; } = 1.3;

    public double BaseloadMadFactor { get; init; } = 4;

    /// <summary>
    /// A building's night or day-off finding is raised on the circuit (sub-meter) that explains at least this share of
    /// its excess, with the building as context (chosen: 60 %, a clear majority).
    /// </summary>
    public double AttributionShare { get; init; } = 0.6;

    /// <summary>The unmetered share of a parent meter drifting from its learned median by more than this (5 points) and by 4 MADs.</summary>
    public double ImbalanceShare { get; init; } = 0.05;

    /// <summary>The budget rule starts forecasting this many days into the month.</summary>
    public int BudgetFromDay { get; init; } = 5;

    public NightLeakOptions Leak { get; init; } = new();

    /// <summary>Per-meter (or per-series) overrides, by id.</summary>
    public IReadOnlyDictionary<string, MeterAnomalyOverride> Overrides { get; init; } = new Dictionary<string, MeterAnomalyOverride>();

    public bool Enabled(string rule, string subject) =>
        !Overrides.TryGetValue(subject, out var o) || o.DisabledRules is null || !o.DisabledRules.Contains(rule);

    public MeterAnomalyOverride? For(string subject) => Overrides.GetValueOrDefault(subject);
}

/// <summary>A meter's own thresholds where its history or its role says the defaults are wrong for it.</summary>
public sealed record MeterAnomalyOverride(TimeSpan? SilentAfter = null, int? StuckAfterHours = null, double? SpikeAbove = null, IReadOnlySet<string>? DisabledRules = null);

/// <summary>A rule: pure, from one pass's input to the conditions holding now.</summary>
public interface IAnomalyRule
{
    string Id { get; }

    IEnumerable<Finding> Evaluate(AnomalyInput input);
}
