using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Ports;

/// <summary>
/// The store of raw readings. Every implementation (embedded SQLite, InfluxDB) passes the same contract
/// suite, so the analytics above give the same answers whichever is configured.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="bullet">
/// <item>Timestamps keep millisecond precision and come back in UTC.</item>
/// <item>(meter, timestamp) is the key: writing it again replaces value and quality, last write wins, as in InfluxDB.</item>
/// <item>Range queries are half-open, <c>[from, to)</c>, and return readings in timestamp order.</item>
/// <item>
/// The store the service is configured with (the embedded one, or the outbox in front of InfluxDB) raises a change
/// mark per meter from the earliest reading of every write, read through <see cref="IConsumptionStore.ChangesAsync"/>,
/// and never before the readings can be read back: consumption is recomputed from the marks alone. The remote
/// stores behind the outbox leave that to it. <c>ChangeMarkContract</c> checks it of each configurable store.
/// </item>
/// </list>
/// </remarks>
public interface IReadingStore
{
    /// <summary>Writes a batch atomically; when the task completes the batch is durable.</summary>
    Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken);

    Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The latest reading at or before <paramref name="atOrBefore"/>, if any.</summary>
    Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken);

    /// <summary>How many readings each meter has in <c>[from, to)</c>; meters with none are absent.</summary>
    Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
