namespace EnergyMonitor.Core.Domain;

/// <summary>Why a reading may not be taken at face value. Several can hold at once.</summary>
[Flags]
public enum ReadingQuality
{
    Good = 0,

    /// <summary>The device gave no value; the reading only records that a poll happened.</summary>
    Missing = 1 << 0,

    /// <summary>The value lay outside the range the meter can physically report.</summary>
    OutOfRange = 1 << 1,

    /// <summary>The source gave no timestamp, so the arrival time was used.</summary>
    ArrivalTime = 1 << 2,

    /// <summary>Entered or corrected by hand, e.g. from a paper reading after an outage.</summary>
    Manual = 1 << 3,

    /// <summary>Produced by the simulator, never by a real device.</summary>
    Simulated = 1 << 4,
}

/// <summary>
/// One value from one meter at one instant, in the canonical unit of the meter's kind (after unit
/// conversion and multiplier). Timestamps are UTC; periods are cut later in the site's zone.
/// </summary>
public readonly record struct Reading(MeterId Meter, DateTimeOffset Timestamp, double Value, ReadingQuality Quality = ReadingQuality.Good)
{
    public bool IsUsable => (Quality & (ReadingQuality.Missing | ReadingQuality.OutOfRange)) == 0;
}

/// <summary>Checks every store applies before it accepts a batch.</summary>
public static class ReadingBatch
{
    /// <summary>Stores hold finite values only (InfluxDB refuses NaN, and SQLite would store it as NULL).</summary>
    /// <exception cref="ArgumentException">A reading is NaN or infinite; nothing of the batch is written.</exception>
    public static void EnsureFinite(IEnumerable<Reading> readings)
    {
        foreach (var reading in readings)
        {
            if (!double.IsFinite(reading.Value))
            {
                throw new ArgumentException($"reading of meter {reading.Meter} at {reading.Timestamp:O} is {reading.Value}; stores hold finite values only", nameof(readings));
            }
        }
    }
}
