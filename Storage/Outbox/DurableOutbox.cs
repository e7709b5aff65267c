using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;
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
    private readonly SqliteDatabase _database;
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

    private DurableOutbox(SqliteDatabase database, IReadingStore remote, OutboxOptions options, TimeProvider time, ILogger logger)
    {
        _database = database;
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
    public static async Task<DurableOutbox> OpenAsync(SqliteDatabase database, IReadingStore remote, OutboxOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var outbox = new DurableOutbox(database, remote, options, time, logger);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(readings), 0), COALESCE(SUM(length(payload)), 0) FROM outbox";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        outbox._depth = reader.GetInt64(0);
        outbox._bytes = reader.GetInt64(1);
        if (outbox._depth > 0)
        {
            logger.LogInformation("Outbox resumes with {Depth} undelivered readings", outbox._depth);
            outbox._available.Release();
        }

        return outbox;
    }

    public async Task<OutboxStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var oldest = await OldestEnqueuedMsAsync(cancellationToken).ConfigureAwait(false);
        return new OutboxStatus(Interlocked.Read(ref _depth), Interlocked.Read(ref _bytes),
            oldest is { } ms ? _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms) : TimeSpan.Zero,
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

        var payload = OutboxPayload.Encode(readings);
        long bytes = payload.Length;

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

            await InsertAsync(payload, readings.Count, cancellationToken).ConfigureAwait(false);
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
            var batch = await PeekAsync(0, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (batch.Readings.Count == 0)
                {
                    await deleting.ConfigureAwait(false);
                    await _available.WaitAsync(_options.BatchDelay, cancellationToken).ConfigureAwait(false);
                    batch = await PeekAsync(0, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(batch.OldestMs);
                if (batch.Readings.Count < _options.BatchSize && age < _options.BatchDelay)
                {
                    // A partial batch waits a little for company: fewer, larger requests.
                    await Task.Delay(_options.BatchDelay - age, _time, cancellationToken).ConfigureAwait(false);
                    batch = await PeekAsync(batch.FirstId - 1, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var delivering = DeliverAsync(batch.Readings, cancellationToken);
                var next = PeekAsync(batch.LastId, cancellationToken);
                await delivering.ConfigureAwait(false);
                await deleting.ConfigureAwait(false);
                deleting = DeleteWhereAsync("id BETWEEN $a AND $b", batch.FirstId, batch.LastId, cancellationToken, delivered: batch.Readings);
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
    public async Task<IReadOnlyList<(Reading Reading, string Reason)>> RejectedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT meter_id, ts_ms, value, quality, reason FROM outbox_rejected ORDER BY id DESC";
        var result = new List<(Reading, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((new Reading(new MeterId(reader.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetDouble(2), (ReadingQuality)reader.GetInt32(3)), reader.GetString(4)));
        }

        return result;
    }

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
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO outbox_rejected (meter_id, ts_ms, value, quality, reason, rejected_ms) VALUES ($m, $t, $v, $q, $r, $now)";
        command.Parameters.AddWithValue("$m", reading.Meter.Value);
        command.Parameters.AddWithValue("$t", reading.Timestamp.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$v", reading.Value);
        command.Parameters.AddWithValue("$q", (int)reading.Quality);
        command.Parameters.AddWithValue("$r", reason);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task InsertAsync(byte[] payload, int count, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO outbox (readings, payload, enqueued_ms) VALUES ($n, $p, $e)";
        insert.Parameters.AddWithValue("$n", count);
        insert.Parameters.AddWithValue("$p", payload);
        insert.Parameters.AddWithValue("$e", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The oldest rows after <paramref name="afterId"/>, up to about one delivery batch of readings.</summary>
    private async Task<Batch> PeekAsync(long afterId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, payload, enqueued_ms FROM outbox WHERE id > $after ORDER BY id LIMIT 10000";
        command.Parameters.AddWithValue("$after", afterId);
        var readings = new List<Reading>();
        long first = 0, last = 0, oldest = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (readings.Count == 0)
            {
                first = reader.GetInt64(0);
                oldest = reader.GetInt64(2);
            }

            last = reader.GetInt64(0);
            OutboxPayload.Decode((byte[])reader.GetValue(1), readings);
            if (readings.Count >= _options.BatchSize)
            {
                break;
            }
        }

        return new Batch(first, last, oldest, readings);
    }

    private sealed record Batch(long FirstId, long LastId, long OldestMs, List<Reading> Readings);

    private async Task DropOldestAsync(long bytesNeeded, CancellationToken cancellationToken)
    {
        // Whole accepted batches, oldest first, until enough bytes are free: at least one per call.
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM (SELECT id, SUM(length(payload)) OVER (ORDER BY id) AS running FROM outbox ORDER BY id) WHERE running >= $need LIMIT 1";
        command.Parameters.AddWithValue("$need", bytesNeeded);
        var last = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        var dropped = await DeleteWhereAsync("id <= $b AND $a = $a", 0, last ?? long.MaxValue, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _dropped, dropped);
        _logger.LogError("Outbox full: dropped the {Count} oldest undelivered readings ({Total} dropped so far) to make room", dropped, Interlocked.Read(ref _dropped));
    }

    /// <returns>How many readings were deleted; the byte and depth counts follow exactly what was deleted.</returns>
    /// <param name="delivered">Readings now in the remote store: their consumption change marks are raised in the same transaction.</param>
    private async Task<long> DeleteWhereAsync(string where, long a, long b, CancellationToken cancellationToken, IReadOnlyList<Reading>? delivered = null)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DELETE FROM outbox WHERE {where} RETURNING readings, length(payload)";
        command.Parameters.AddWithValue("$a", a);
        command.Parameters.AddWithValue("$b", b);
        long rows = 0, bytes = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows += reader.GetInt64(0);
                bytes += reader.GetInt64(1);
            }
        }

        if (delivered is not null && rows > 0)
        {
            await ChangeMarks.RaiseAsync(connection, transaction, delivered, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        Interlocked.Add(ref _bytes, -bytes);
        Interlocked.Add(ref _depth, -rows);
        if (rows > 0)
        {
            _spaceFreed.Release();
        }

        return rows;
    }

    private async Task<long?> OldestEnqueuedMsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT enqueued_ms FROM outbox ORDER BY id LIMIT 1";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

}
