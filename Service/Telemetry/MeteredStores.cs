using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Service.Telemetry;

/// <summary>The reading store, counting what it made durable by source and how late, for /metrics.</summary>
public sealed class MeteredReadingStore(IReadingStore inner, ServiceMetrics metrics, TimeProvider time) : IReadingStore
{
    public async Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(readings, cancellationToken).ConfigureAwait(false);
        metrics.Ingested([.. readings], time.GetUtcNow());
    }

    public Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        inner.ReadAsync(meter, from, to, cancellationToken);

    public Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken) =>
        inner.LatestAsync(meter, atOrBefore, cancellationToken);

    public Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        inner.CountAsync(from, to, cancellationToken);
}

/// <summary>The quarantine, counting what it kept by reason, for /metrics.</summary>
public sealed class MeteredQuarantine(IQuarantine inner, ServiceMetrics metrics) : IQuarantine
{
    public async Task AddAsync(IReadOnlyCollection<QuarantineEntry> entries, CancellationToken cancellationToken)
    {
        await inner.AddAsync(entries, cancellationToken).ConfigureAwait(false);
        metrics.Quarantined(entries);
    }

    public Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken, QuarantineReason? reason = null) => inner.ListAsync(cancellationToken, reason);

    public Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) => inner.RemoveAsync(ids, cancellationToken);

    public Task UpdateReasonAsync(long id, QuarantineReason reason, string detail, CancellationToken cancellationToken) => inner.UpdateReasonAsync(id, reason, detail, cancellationToken);
}
