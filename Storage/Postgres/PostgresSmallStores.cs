using EnergyMonitor.Core.Ports;
using Npgsql;

namespace EnergyMonitor.Storage.Postgres;

/// <summary>The indicators table in PostgreSQL: one JSON document per institution and day.</summary>
public sealed class PostgresIndicatorStore(PostgresDatabase database) : IIndicatorStore
{
    public async Task SaveAsync(string institution, DateTimeOffset through, string coefficientSet, string json, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO indicators (institution, through_ms, coefficient_set, document) VALUES (@i, @t, @s, @d) " +
            "ON CONFLICT (institution, through_ms) DO UPDATE SET coefficient_set = excluded.coefficient_set, document = excluded.document", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("i", institution));
        command.Parameters.Add(new NpgsqlParameter<long>("t", through.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<string>("s", coefficientSet));
        command.Parameters.Add(new NpgsqlParameter<string>("d", json));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(DateTimeOffset Through, string CoefficientSet, string Json)?> LatestAsync(string institution, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT through_ms, coefficient_set, document FROM indicators WHERE institution = @i ORDER BY through_ms DESC LIMIT 1", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("i", institution));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2))
            : null;
    }
}

/// <summary>The index of generated reports in PostgreSQL (the files stay on each instance's disk).</summary>
public sealed class PostgresReportArchive(PostgresDatabase database) : IReportArchive
{
    public async Task AddAsync(ArchivedReport report, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO report_archive (period, scope, format, path, sha256, bytes, generated_ms) VALUES (@p, @s, @f, @path, @h, @b, @g) " +
            "ON CONFLICT (period, scope, format) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, bytes = excluded.bytes, generated_ms = excluded.generated_ms", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("p", report.Period));
        command.Parameters.Add(new NpgsqlParameter<string>("s", report.Scope));
        command.Parameters.Add(new NpgsqlParameter<string>("f", report.Format));
        command.Parameters.Add(new NpgsqlParameter<string>("path", report.Path));
        command.Parameters.Add(new NpgsqlParameter<string>("h", report.Sha256));
        command.Parameters.Add(new NpgsqlParameter<long>("b", report.Bytes));
        command.Parameters.Add(new NpgsqlParameter<long>("g", report.GeneratedAt.ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ArchivedReport>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT id, period, scope, format, path, sha256, bytes, generated_ms FROM report_archive ORDER BY generated_ms DESC, id DESC", connection);
        var result = new List<ArchivedReport>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Archived(reader));
        }

        return result;
    }
}

/// <summary>The quarantine in PostgreSQL: bad input kept whole, by reason name, for replay after a config fix.</summary>
public sealed class PostgresQuarantine(PostgresDatabase database) : IQuarantine
{
    public async Task AddAsync(IReadOnlyCollection<QuarantineEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO quarantine (source, topic, payload, reason, detail, received_ms) SELECT * FROM unnest(@source, @topic, @payload, @reason, @detail, @received)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("source", entries.Select(e => e.Source).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("topic", entries.Select(e => e.Topic).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("payload", entries.Select(e => e.Payload.ToArray()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("reason", entries.Select(e => e.Reason.ToString()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("detail", entries.Select(e => e.Detail).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("received", entries.Select(e => e.Received.ToUnixTimeMilliseconds()).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task AddAsync(string source, string topic, ReadOnlyMemory<byte> payload, QuarantineReason reason, string detail, DateTimeOffset received, CancellationToken cancellationToken) =>
        AddAsync([new QuarantineEntry(source, topic, payload, reason, detail, received)], cancellationToken);

    public async Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken, QuarantineReason? reason = null)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT id, source, topic, payload, reason, detail, received_ms FROM quarantine WHERE @r::text IS NULL OR reason = @r ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter("r", (object?)reason?.ToString() ?? DBNull.Value));
        var result = new List<QuarantinedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Quarantined(reader));
        }

        return result;
    }

    public async Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM quarantine WHERE id = ANY(@ids)", connection);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", ids.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateReasonAsync(long id, QuarantineReason reason, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("UPDATE quarantine SET reason = @r, detail = @d WHERE id = @id", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("r", reason.ToString()));
        command.Parameters.Add(new NpgsqlParameter<string>("d", detail));
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
