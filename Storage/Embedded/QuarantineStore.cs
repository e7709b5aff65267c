using EnergyMonitor.Core.Ports;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>The quarantine table of the embedded database: bad input is kept, never dropped silently.</summary>
public sealed class QuarantineStore(SqliteDatabase database) : IQuarantine
{
    /// <summary>Keeps the messages, all in one transaction: durable together when this returns.</summary>
    public async Task AddAsync(IReadOnlyCollection<QuarantineEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await SqliteInserts.InsertAllAsync(connection, "quarantine", ["source", "topic", "payload", "reason", "detail", "received_ms"], entries, (p, e) =>
        {
            p[0] = e.Source;
            p[1] = e.Topic;
            p[2] = e.Payload.ToArray();
            p[3] = e.Reason.ToString();
            p[4] = e.Detail;
            p[5] = e.Received.ToUnixTimeMilliseconds();
        }, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task AddAsync(string source, string topic, ReadOnlyMemory<byte> payload, QuarantineReason reason, string detail, DateTimeOffset received, CancellationToken cancellationToken) =>
        AddAsync([new QuarantineEntry(source, topic, payload, reason, detail, received)], cancellationToken);

    public async Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken, QuarantineReason? reason = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, source, topic, payload, reason, detail, received_ms FROM quarantine WHERE $r IS NULL OR reason = $r ORDER BY id";
        command.Parameters.AddWithValue("$r", (object?)reason?.ToString() ?? DBNull.Value);
        var result = new List<QuarantinedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Quarantined(reader));
        }

        return result;
    }

    /// <summary>Removes messages that a replay has turned into readings.</summary>
    public async Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM quarantine WHERE id = $id";
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var value in ids)
        {
            id.Value = value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records why a replayed message still fails, which may differ after a config change.</summary>
    public async Task UpdateReasonAsync(long id, QuarantineReason reason, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE quarantine SET reason = $r, detail = $d WHERE id = $id";
        command.Parameters.AddWithValue("$r", reason.ToString());
        command.Parameters.AddWithValue("$d", detail);
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
