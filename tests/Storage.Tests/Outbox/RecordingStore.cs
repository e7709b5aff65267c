using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Outbox;

/// <summary>A stand-in remote store (our own port, not a server): records batches, fails on demand.</summary>
internal sealed class RecordingStore : IReadingStore
{
    private readonly List<IReadOnlyList<Reading>> _batches = [];

    /// <summary>Decides per batch: null delivers it; an exception is thrown instead.</summary>
    public Func<IReadOnlyCollection<Reading>, Exception?> Behaviour { get; set; } = _ => null;

    public IReadOnlyList<IReadOnlyList<Reading>> Batches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    public IReadOnlyList<Reading> Delivered => Batches.SelectMany(b => b).ToList();

    public Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        if (Behaviour(readings) is { } error)
        {
            return Task.FromException(error);
        }

        lock (_batches)
        {
            _batches.Add([.. readings]);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Reading>>(Delivered.Where(r => r.Meter == meter && r.Timestamp >= from && r.Timestamp < to).ToList());

    public Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken) =>
        Task.FromResult<Reading?>(Delivered.Where(r => r.Meter == meter && r.Timestamp <= atOrBefore).MaxBy(r => r.Timestamp));

    public Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<MeterId, long>>(Delivered.GroupBy(r => r.Meter).ToDictionary(g => g.Key, g => (long)g.Count()));
}
