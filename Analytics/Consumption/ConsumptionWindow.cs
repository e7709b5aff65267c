using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Consumption;

/// <summary>Where an incremental recomputation of one meter must start, so that it equals one from scratch. Pure.</summary>
public static class ConsumptionWindow
{
    /// <summary>
    /// The grid boundary to recompute from: the interval holding the reading just before the earliest changed one
    /// (its delta to the changed reading changes too), or where the last pass stopped deciding, whichever is earlier.
    /// </summary>
    /// <param name="changedFrom">The reading just before the earliest new or rewritten one (or that one, if none precedes it).</param>
    public static DateTimeOffset RecomputeFrom(IntervalGrid grid, DateTimeOffset changedFrom, DateTimeOffset? decidedThrough) =>
        grid.Floor(decidedThrough is { } d && d < changedFrom ? d : changedFrom);

    /// <summary>
    /// The reading to start from: the latest usable one among <paramref name="atOrBefore"/> that is not 0, since a 0
    /// there is far more often a gateway's failed read than a counter standing at zero.
    /// </summary>
    public static Reading? Anchor(IEnumerable<Reading> atOrBefore)
    {
        Reading? anchor = null;
        foreach (var r in atOrBefore)
        {
            if (r.IsUsable && r.Value != 0 && (anchor is null || r.Timestamp > anchor.Value.Timestamp))
            {
                anchor = r;
            }
        }

        return anchor;
    }
}
