namespace EnergyMonitor.Core.Domain;

/// <summary>
/// A point from which one meter's consumption can be recomputed and give the same intervals as a computation from
/// its first reading: intervals from <see cref="Boundary"/> on depend only on <see cref="Anchor"/> and later readings.
/// </summary>
/// <param name="Boundary">A grid boundary; intervals before it are final.</param>
/// <param name="Anchor">The counter reading the calculation continues from, the last one accepted at or before the boundary.</param>
/// <param name="RunSince">Since when the counter has stood at the anchor's value, so that a stuck register is still recognised.</param>
/// <param name="Horizon">The latest reading that decided anything before the boundary: a change to a reading after it leaves the checkpoint valid.</param>
public readonly record struct ConsumptionCheckpoint(DateTimeOffset Boundary, Reading Anchor, DateTimeOffset RunSince, DateTimeOffset Horizon);
