using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Outbox;

/// <summary>
/// A remote store behind the outbox: writes are durable when the outbox has them, reads go to the remote.
/// Readings still waiting in the outbox are not yet visible to reads; <see cref="DurableOutbox.StatusAsync"/> says how many.
/// </summary>
public sealed class OutboxReadingStore(DurableOutbox outbox, IReadingStore remote) : IReadingStore
{
    public Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken) => outbox.EnqueueAsync(readings, cancellationToken);

    public Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        remote.ReadAsync(meter, from, to, cancellationToken);

    public Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken) =>
        remote.LatestAsync(meter, atOrBefore, cancellationToken);

    public Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        remote.CountAsync(from, to, cancellationToken);
}
