using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Consumption;

/// <summary>
/// Where an incremental recomputation of one meter must start, so that it equals one from scratch. Pure. For a
/// cumulative meter the store answers it (<see cref="Core.Ports.IConsumptionStore.CheckpointBeforeAsync"/>, the rule
/// its contract suite checks).
/// </summary>
public static class ConsumptionWindow
{
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
