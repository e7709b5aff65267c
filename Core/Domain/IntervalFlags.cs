namespace EnergyMonitor.Core.Domain;

/// <summary>Why an interval's amount is not simply the difference of two on-grid readings. Several can hold at once.</summary>
[Flags]
public enum IntervalFlags
{
    None = 0,

    /// <summary>Readings were missing: the amount was spread linearly across the gap.</summary>
    Estimated = 1 << 0,

    /// <summary>Readings fell between grid boundaries, so a delta was shared between intervals by time.</summary>
    Interpolated = 1 << 1,

    /// <summary>The counter wrapped at its configured maximum.</summary>
    Rollover = 1 << 2,

    /// <summary>The meter was replaced; the amount joins the old meter's final reading to the new one's first.</summary>
    Replacement = 1 << 3,

    /// <summary>
    /// The counter fell and stayed low with no replacement configured. Across it only what the counter shows since it
    /// restarted from zero is counted (estimated), and only where the meter's physical maximum says that is plausible.
    /// </summary>
    Reset = 1 << 4,

    /// <summary>A delta above the physical maximum was rejected; its amount is kept aside in <see cref="ConsumptionInterval.Rejected"/>.</summary>
    SpikeRejected = 1 << 5,

    /// <summary>A reading the series came back from (a gateway's 0, a garbage value up or down) was skipped as a bad read.</summary>
    Unavailable = 1 << 6,

    /// <summary>The gap was longer than the configured maximum: its whole amount sits in the interval where readings resumed.</summary>
    LongGap = 1 << 7,

    /// <summary>The counter stood still while use went on, then caught up: the catch-up was spread over the stale readings, estimated.</summary>
    Stuck = 1 << 8,
}
