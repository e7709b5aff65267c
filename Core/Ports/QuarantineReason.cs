namespace EnergyMonitor.Core.Ports;

/// <summary>
/// Why a message was quarantined instead of stored. Stored by name, so that a reason is never renumbered and a
/// quarantine written by an older version still reads.
/// </summary>
public enum QuarantineReason
{
    TooLarge,
    MalformedJson,
    MissingField,
    NotANumber,
    NonFinite,
    BadTimestamp,
    TimestampInFuture,
    TimestampTooOld,
    UnmatchedTopic,
    UnknownMeter,

    /// <summary>
    /// Raised by versions that judged counters while ingesting; now a counter that falls is stored and the consumption
    /// calculator decides. Kept so that such rows in an older quarantine still read, and replay.
    /// </summary>
    CounterBackwards,

    /// <summary>The mapper itself failed on the message: a bug of ours, kept so that the message can be replayed once fixed.</summary>
    MapperFault,
}
