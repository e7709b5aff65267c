using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Scorecard;

/// <summary>
/// An annual assessment scheme (节约能源资源考核评价细则) as data: its items with points and the rule that scores each,
/// its grades and its vetoes. Provinces and cities publish their own; config/scorecard.yaml ships an example.
/// </summary>
public sealed record ScoreScheme(string Name, string Source, IReadOnlyList<ScoreGrade> Grades, IReadOnlyList<ScoreItem> Items, IReadOnlyList<ScoreVeto> Vetoes)
{
    public double Total => Items.Sum(i => i.Points);
}

/// <summary>A grade reached at <see cref="Minimum"/> points or more.</summary>
public sealed record ScoreGrade(double Minimum, string Name, string NameEn);

public sealed record ScoreItem(string Id, string Name, double Points, ScoreRule Rule);

/// <summary>How an item is scored.</summary>
public abstract record ScoreRule
{
    /// <summary>
    /// An indicator against its reduction target from the base year: <c>annual</c> compares with this year's step of a
    /// steady path to the target year's reduction, <c>five-year</c> with the whole reduction. Full points when met,
    /// none when the indicator did not fall at all, in proportion between.
    /// </summary>
    public sealed record Target(IndicatorId Indicator, string Horizon) : ScoreRule;

    /// <summary>Total energy against the annual quota: full points within it, none at <see cref="Tolerance"/> above it, in proportion between.</summary>
    public sealed record Quota(double Tolerance = 0.10) : ScoreRule;

    /// <summary>Data completeness, the share of use that was metered rather than estimated: full at <see cref="Full"/>, none at <see cref="Zero"/>.</summary>
    public sealed record Completeness(double Full = 0.95, double Zero = 0.80) : ScoreRule;

    /// <summary>The statistics filed by the deadline in the following year (31 March, 公共机构节能条例 §15): all or nothing.</summary>
    public sealed record Timeliness(int Month = 3, int Day = 31) : ScoreRule;

    /// <summary>A qualitative item the energy officer scores (organisation, rules, audits, retrofits …), capped at the item's points.</summary>
    public sealed record Manual : ScoreRule;
}

/// <summary>
/// A veto (一票否决): whatever the points, the grade is <see cref="Grade"/> when any of <see cref="Items"/> scored below
/// full points (a target missed), or when the officer's input records the condition as failed.
/// </summary>
public sealed record ScoreVeto(string Id, string Name, string Grade, IReadOnlyList<string> Items, string? Input);
