using EnergyMonitor.Core.Domain;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Outbox;

/// <summary>Rows of the outbox in the embedded database, oldest first.</summary>
/// <param name="FirstId">The first row in it; 0 when empty.</param>
internal sealed record OutboxBatch(long FirstId, long LastId, long OldestMs, List<Reading> Readings);

/// <summary>One row of the outbox: an encoded run of readings.</summary>
internal sealed record OutboxRow(byte[] Payload, int Readings);

/// <summary>
/// The outbox's SQL: accepted batches as rows of the <c>outbox</c> table, each an encoded run of readings, and the
/// readings the remote refused in <c>outbox_rejected</c>. No policy: <see cref="DurableOutbox"/> decides.
/// </summary>
internal sealed class OutboxQueue(SqliteDatabase database)
{
    /// <summary>Readings and payload bytes held now.</summary>
    public async Task<(long Readings, long Bytes)> TotalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(readings), 0), COALESCE(SUM(length(payload)), 0) FROM outbox";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Rows of one accepted write, in one transaction: all of them are queued, or none.</summary>
    public async Task InsertAsync(IReadOnlyList<OutboxRow> rows, DateTimeOffset enqueued, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO outbox (readings, payload, enqueued_ms) VALUES ($n, $p, $e)";
        var count = insert.Parameters.Add("$n", SqliteType.Integer);
        var payload = insert.Parameters.Add("$p", SqliteType.Blob);
        insert.Parameters.AddWithValue("$e", enqueued.ToUnixTimeMilliseconds());
        foreach (var row in rows)
        {
            count.Value = row.Readings;
            payload.Value = row.Payload;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The oldest rows after <paramref name="afterId"/>, whole rows up to about <paramref name="readings"/> readings.</summary>
    public async Task<OutboxBatch> PeekAsync(long afterId, int readings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, payload, enqueued_ms FROM outbox WHERE id > $after ORDER BY id LIMIT 10000";
        command.Parameters.AddWithValue("$after", afterId);
        var batch = new List<Reading>();
        long first = 0, last = 0, oldest = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Count == 0)
            {
                first = reader.GetInt64(0);
                oldest = reader.GetInt64(2);
            }

            last = reader.GetInt64(0);
            OutboxPayload.Decode((byte[])reader.GetValue(1), batch);
            if (batch.Count >= readings)
            {
                break;
            }
        }

        return new OutboxBatch(first, last, oldest, batch);
    }

    /// <summary>The last row of the oldest rows that together hold at least <paramref name="bytes"/> payload bytes; null: all of them.</summary>
    public async Task<long?> OldestHoldingAsync(long bytes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM (SELECT id, SUM(length(payload)) OVER (ORDER BY id) AS running FROM outbox ORDER BY id) WHERE running >= $need LIMIT 1";
        command.Parameters.AddWithValue("$need", bytes);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }

    /// <summary>Deletes the rows <c>[firstId, lastId]</c>.</summary>
    /// <param name="delivered">Readings now in the remote store: their consumption change marks are raised in the same transaction.</param>
    /// <returns>The readings and payload bytes deleted.</returns>
    public async Task<(long Readings, long Bytes)> DeleteAsync(long firstId, long lastId, IReadOnlyList<Reading>? delivered, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM outbox WHERE id BETWEEN $first AND $last RETURNING readings, length(payload)";
        command.Parameters.AddWithValue("$first", firstId);
        command.Parameters.AddWithValue("$last", lastId);
        long readings = 0, bytes = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                readings += reader.GetInt64(0);
                bytes += reader.GetInt64(1);
            }
        }

        if (delivered is not null && readings > 0)
        {
            await ChangeMarks.RaiseAsync(connection, transaction, delivered, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (readings, bytes);
    }

    public async Task<DateTimeOffset?> OldestEnqueuedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT enqueued_ms FROM outbox ORDER BY id LIMIT 1";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Keeps a reading the remote refused, with its reason.</summary>
    public async Task RejectAsync(Reading reading, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO outbox_rejected (meter_id, ts_ms, value, quality, reason, rejected_ms) VALUES ($m, $t, $v, $q, $r, $now)";
        command.Parameters.AddWithValue("$m", reading.Meter.Value);
        command.Parameters.AddWithValue("$t", reading.Timestamp.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$v", reading.Value);
        command.Parameters.AddWithValue("$q", (int)reading.Quality);
        command.Parameters.AddWithValue("$r", reason);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The refused readings, newest first.</summary>
    public async Task<IReadOnlyList<(Reading Reading, string Reason)>> RejectedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
}
