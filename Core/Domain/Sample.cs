using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Core.Domain;

/// <summary>
/// A value as acquisition produced it, before normalisation. <see cref="Point"/> is null for the meter's own
/// reading (its counter), whose <see cref="Unit"/> is the device's counting unit; other points (power,
/// voltage) carry their name and stay in the unit the device reports.
/// </summary>
public readonly record struct Sample(MeterId Meter, string? Point, DateTimeOffset Timestamp, double Value, UnitInfo? Unit, ReadingQuality Quality)
{
    public bool IsReading => Point is null;
}
