using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EnergyMonitor.Storage.Outbox;

/// <summary>
/// A disk queue in front of a remote store. <see cref="EnqueueAsync"/> returns once readings are durable in the
/// embedded database; <see cref="RunAsync"/> delivers them in arrival order, in batches, retrying with
/// exponential back-off and jitter while the remote is down. Readings the remote refuses as invalid are split
/// out of their batch and kept in <c>outbox_rejected</c> with the server's reason; the rest go through.
/// </summary>
public sealed class DurableOutbox : IDisposable
{
    private readonly OutboxQueue _queue;
    private readonly IReadingStore _remote;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _available = new(0, int.MaxValue);
    private readonly SemaphoreSlim _spaceFreed = new(0, int.MaxValue);
    private readonly ResiliencePipeline _retry;
    private long _bytes;
    private long _depth;
    private long _delivered;
    private long _retried;
    private long _rejected;
    private long _dropped;
    private volatile bool _remoteUp = true;
    private volatile bool _blocking;
    private volatile string? _lastError;
    private readonly bool _marksHere;

    private DurableOutbox(SqliteDatabase database, IReadingStore remote, OutboxOptions options, TimeProvider time, ILogger logger, bool remoteRaisesChangeMarks)
    {
        _queue = new OutboxQueue(database);
        _marksHere = !remoteRaisesChangeMarks;
        _remote = remote;
        _options = options;
        _time = time;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not (ReadingsRejectedException or OperationCanceledException)),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retried);
                    _remoteUp = false;
                    _lastError = args.Outcome.Exception?.Message;
                    if (args.AttemptNumber % 10 == 0)
                    {
                        _logger.LogWarning("Remote store unavailable ({Error}); {Depth} readings waiting in the outbox, retry {Attempt} in {Delay}",
                            _lastError, Interlocked.Read(ref _depth), args.AttemptNumber + 1, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Opens the outbox in the embedded database, picking up whatever a previous run left undelivered.</summary>
    /// <param name="remoteRaisesChangeMarks">
    /// The remote keeps the consumption change marks itself, in the transaction of its readings (PostgreSQL, where the
    /// consumption store is too); otherwise the outbox raises them here as it deletes what the remote has (InfluxDB).
    /// </param>
    public static async Task<DurableOutbox> OpenAsync(SqliteDatabase database, IReadingStore remote, OutboxOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken,
        bool remoteRaisesChangeMarks = false)
    {
        var outbox = new DurableOutbox(database, remote, options, time, logger, remoteRaisesChangeMarks);
        (outbox._depth, outbox._bytes) = await outbox._queue.TotalsAsync(cancellationToken).ConfigureAwait(false);
        if (outbox._depth > 0)
        {
            logger.LogInformation("Outbox resumes with {Depth} undelivered readings", outbox._depth);
            outbox._available.Release();
        }

        return outbox;
    }

    public async Task<OutboxStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var oldest = await _queue.OldestEnqueuedAsync(cancellationToken).ConfigureAwait(false);
        return new OutboxStatus(Interlocked.Read(ref _depth), Interlocked.Read(ref _bytes),
            oldest is { } at ? _time.GetUtcNow() - at : TimeSpan.Zero,
            _remoteUp, Interlocked.Read(ref _delivered), Interlocked.Read(ref _retried), Interlocked.Read(ref _rejected),
            Interlocked.Read(ref _dropped), _blocking, _lastError);
    }

    /// <summary>Makes readings durable in the queue. With the Block policy this waits while the queue is full.</summary>
    public async Task EnqueueAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        ReadingBatch.EnsureFinite(readings);

        if (readings.Count == 0)
        {
            return;
        }

        // A large write (an imported file) is queued as rows of at most one delivery batch, in one transaction:
        // the remote is never sent a body larger than a batch (InfluxDB 1.6 refuses bodies over 25 MB), and the
        // write is still all or nothing.
        var rows = readings.Chunk(_options.BatchSize).Select(chunk => new OutboxRow(OutboxPayload.Encode(chunk), chunk.Length)).ToList();
        long bytes = rows.Sum(r => (long)r.Payload.Length);

        if (bytes > _options.MaxBytes)
        {
            throw new ArgumentException($"a batch of {bytes} bytes can never fit an outbox bounded at {_options.MaxBytes} bytes", nameof(readings));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (Interlocked.Read(ref _bytes) + bytes > _options.MaxBytes)
            {
                if (_options.FullPolicy == OutboxFullPolicy.DropOldest)
                {
                    await DropOldestAsync(Interlocked.Read(ref _bytes) + bytes - _options.MaxBytes, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!_blocking)
                {
                    _blocking = true;
                    _logger.LogError("Outbox full ({Bytes} of {Max} bytes, {Depth} readings): sources are held until the remote store catches up",
                        Interlocked.Read(ref _bytes), _options.MaxBytes, Interlocked.Read(ref _depth));
                }

                _gate.Release();
                try
                {
                    await _spaceFreed.WaitAsync(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (_blocking)
            {
                _blocking = false;
                _logger.LogWarning("Outbox has room again; sources resume");
            }

            await _queue.InsertAsync(rows, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytes, bytes);
            Interlocked.Add(ref _depth, readings.Count);
        }
        finally
        {
            _gate.Release();
        }

        _available.Release();
    }

    /// <summary>Delivers until cancelled. Waits out remote outages; never throws for them.</summary>
    /// <remarks>
    /// Batches are delivered strictly one after another, which keeps each meter's readings in order; reading
    /// the next batch and deleting the last delivered one happen while the current request is in flight.
    /// </remarks>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var deleting = Task.CompletedTask;
        try
        {
            var batch = await _queue.PeekAsync(0, _options.BatchSize, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (batch.Readings.Count == 0)
                {
                    await deleting.ConfigureAwait(false);
                    await _available.WaitAsync(_options.BatchDelay, cancellationToken).ConfigureAwait(false);
                    batch = await _queue.PeekAsync(0, _options.BatchSize, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(batch.OldestMs);
                if (batch.Readings.Count < _options.BatchSize && age < _options.BatchDelay)
                {
                    // A partial batch waits a little for company: fewer, larger requests.
                    await Task.Delay(_options.BatchDelay - age, _time, cancellationToken).ConfigureAwait(false);
                    batch = await _queue.PeekAsync(batch.FirstId - 1, _options.BatchSize, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var delivering = DeliverAsync(batch.Readings, cancellationToken);
                var next = _queue.PeekAsync(batch.LastId, _options.BatchSize, cancellationToken);
                await delivering.ConfigureAwait(false);
                await deleting.ConfigureAwait(false);
                deleting = DeleteAsync(batch.FirstId, batch.LastId, _marksHere ? batch.Readings : null, cancellationToken);
                batch = await next.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        try
        {
            // A delivered batch not yet deleted would only be delivered again after a restart; finish deleting it.
            await deleting.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Readings the remote refused, newest first, for an operator to inspect.</summary>
    public Task<IReadOnlyList<(Reading Reading, string Reason)>> RejectedAsync(CancellationToken cancellationToken) => _queue.RejectedAsync(cancellationToken);

    public void Dispose()
    {
        _gate.Dispose();
        _available.Dispose();
        _spaceFreed.Dispose();
    }

    private async Task DeliverAsync(List<Reading> rows, CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync(async ct => await _remote.WriteAsync(rows, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _delivered, rows.Count);
            if (!_remoteUp)
            {
                _remoteUp = true;
                _logger.LogInformation("Remote store reachable again; the outbox is catching up ({Depth} waiting)", Interlocked.Read(ref _depth));
            }
        }
        catch (ReadingsRejectedException e)
        {
            if (rows.Count == 1)
            {
                await QuarantineAsync(rows[0], e.ServerMessage, cancellationToken).ConfigureAwait(false);
                return;
            }

            // Halving finds the poison points in log₂(batch) requests per point and keeps the order of the rest.
            var half = rows.Count / 2;
            await DeliverAsync(rows.Take(half).ToList(), cancellationToken).ConfigureAwait(false);
            await DeliverAsync(rows.Skip(half).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task QuarantineAsync(Reading reading, string reason, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _rejected);
        _logger.LogError("Remote store rejected the reading of {Meter} at {Timestamp:O}: {Reason}; kept in outbox_rejected", reading.Meter, reading.Timestamp, reason);
        await _queue.RejectAsync(reading, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private async Task DropOldestAsync(long bytesNeeded, CancellationToken cancellationToken)
    {
        // Whole accepted batches, oldest first, until enough bytes are free: at least one per call.
        var last = await _queue.OldestHoldingAsync(bytesNeeded, cancellationToken).ConfigureAwait(false);
        var dropped = await DeleteAsync(0, last ?? long.MaxValue, null, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _dropped, dropped);
        _logger.LogError("Outbox full: dropped the {Count} oldest undelivered readings ({Total} dropped so far) to make room", dropped, Interlocked.Read(ref _dropped));
    }

    /// <returns>How many readings were deleted; the byte and depth counts follow exactly what was deleted.</returns>
    private async Task<long> DeleteAsync(long firstId, long lastId, IReadOnlyList<Reading>? delivered, CancellationToken cancellationToken)
    {
        var (readings, bytes) = await _queue.DeleteAsync(firstId, lastId, delivered, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytes, -bytes);
        Interlocked.Add(ref _depth, -readings);
        if (readings > 0)
        {
            _spaceFreed.Release();
        }

        return readings;
    }
}
