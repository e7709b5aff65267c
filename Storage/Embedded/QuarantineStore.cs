namespace EnergyMonitor.Storage.Embedded;

/// <summary>A message that could not be stored as readings, with why.</summary>
public sealed record QuarantinedMessage(long Id, string Source, string Topic, byte[] Payload, string Reason, string Detail, DateTimeOffset Received);

/// <summary>The quarantine table of the embedded database: bad input is kept, never dropped silently.</summary>
public sealed class QuarantineStore(SqliteDatabase database)
{
    public async Task AddAsync(string source, string topic, ReadOnlyMemory<byte> payload, string reason, string detail, DateTimeOffset received, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO quarantine (source, topic, payload, reason, detail, received_ms) VALUES ($s, $t, $p, $r, $d, $ms)";
        command.Parameters.AddWithValue("$s", source);
        command.Parameters.AddWithValue("$t", topic);
        command.Parameters.AddWithValue("$p", payload.ToArray());
        command.Parameters.AddWithValue("$r", reason);
        command.Parameters.AddWithValue("$d", detail);
        command.Parameters.AddWithValue("$ms", received.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, source, topic, payload, reason, detail, received_ms FROM quarantine ORDER BY id";
        var result = new List<QuarantinedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new QuarantinedMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3),
                reader.GetString(4), reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }

        return result;
    }
}
