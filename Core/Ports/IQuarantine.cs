namespace EnergyMonitor.Core.Ports;

/// <summary>A message that could not be stored as readings, with why.</summary>
public sealed record QuarantinedMessage(long Id, string Source, string Topic, byte[] Payload, QuarantineReason Reason, string Detail, DateTimeOffset Received);

/// <summary>A message on its way into the quarantine.</summary>
public sealed record QuarantineEntry(string Source, string Topic, ReadOnlyMemory<byte> Payload, QuarantineReason Reason, string Detail, DateTimeOffset Received);

/// <summary>Where input that cannot become readings is kept, never dropped silently, until it is replayed or removed.</summary>
public interface IQuarantine
{
    /// <summary>Keeps the messages, durable together when this returns.</summary>
    Task AddAsync(IReadOnlyCollection<QuarantineEntry> entries, CancellationToken cancellationToken);

    /// <summary>The kept messages in arrival order, only those of <paramref name="reason"/> when given.</summary>
    Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken, QuarantineReason? reason = null);

    /// <summary>Removes messages that were replayed into readings.</summary>
    Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Records why a message still fails after a replay.</summary>
    Task UpdateReasonAsync(long id, QuarantineReason reason, string detail, CancellationToken cancellationToken);
}
