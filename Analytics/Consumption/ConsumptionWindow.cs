using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Consumption;

/// <summary>Where an incremental recomputation of one meter must start, so that it equals one from scratch. Pure.</summary>
public static class ConsumptionWindow
{
    /// <summary>
    /// The latest checkpoint that a change of readings from <paramref name="changedFrom"/> on leaves valid: every
    /// decision before its boundary looked only at readings before the change. Null: recompute from the first reading.
    /// </summary>
    public static ConsumptionCheckpoint? ResumeFrom(IEnumerable<ConsumptionCheckpoint> checkpoints, DateTimeOffset changedFrom)
    {
        ConsumptionCheckpoint? best = null;
        foreach (var c in checkpoints)
        {
            if (c.Horizon < changedFrom && (best is null || c.Boundary > best.Value.Boundary))
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// An interval meter's readings are independent of each other: a change from <paramref name="changedFrom"/> on
    /// touches the intervals from the one that holds the instant before it.
    /// </summary>
    public static ConsumptionCheckpoint ForIntervalMeter(MeterId meter, IntervalGrid grid, DateTimeOffset changedFrom)
    {
        var boundary = grid.FloorBefore(changedFrom);
        return new ConsumptionCheckpoint(boundary, new Reading(meter, boundary, 0), boundary, boundary);
    }
}
