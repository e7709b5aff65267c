using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Consumption;

/// <summary>A replacement in stored units: the old meter's final counter and the new one's first, canonical, multiplier applied.</summary>
public readonly record struct CounterReplacement(DateTimeOffset At, double OldFinal, double NewInitial);

/// <summary>
/// What the consumption calculator needs to know about one meter, in stored (canonical, multiplied) units.
/// </summary>
/// <param name="RolloverAt">The counter's wrap point, or null when it does not wrap.</param>
/// <param name="MaxPerHour">The physical maximum use per hour; larger deltas are spikes. Null: no check.</param>
/// <param name="MaxGap">Gaps up to this long are spread linearly and flagged estimated; longer ones are not spread.</param>
public sealed record CounterRules(
    ReadingMode Mode,
    IntervalGrid Grid,
    double? RolloverAt,
    double? MaxPerHour,
    IReadOnlyList<CounterReplacement> Replacements,
    TimeSpan MaxGap)
{
    /// <summary>
    /// How many readings after each one decide it: whether the series comes back from it (a bad read), and whether a
    /// fall or an excessive step stays. A reading is final only once this many follow it.
    /// </summary>
    public const int RecoveryLookahead = 8;

    public static CounterRules For(Meter meter, TimeZoneInfo zone, TimeSpan maxGap) => new(
        meter.Mode,
        new IntervalGrid(meter.Interval, zone),
        meter.RolloverAt is { } r ? meter.ToCanonical(r) : null,
        meter.MaxPerHour,
        meter.Replacements.Select(x => new CounterReplacement(x.At, meter.ToCanonical(x.OldFinalReading), meter.ToCanonical(x.NewInitialReading))).ToList(),
        maxGap);
}
