namespace EnergyMonitor.Core.Domain;

/// <summary>
/// The one rule for a reading's time against the clock that receives it, shared by every way in that takes a time
/// from outside (an MQTT payload's timestamp, an imported file's row): a meter's clock may run ahead of ours by the
/// configured skew (<c>Mqtt:FutureSkew</c>), no further. A reading further ahead would sit beyond every rollup's
/// watermark and be counted on a day that has not happened. docs/ARCHITECTURE.md § Range checks.
/// </summary>
public static class ReadingTimes
{
    public static bool IsAhead(DateTimeOffset time, DateTimeOffset now, TimeSpan skew) => time - now > skew;
}
