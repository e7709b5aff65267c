using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Npgsql;

namespace EnergyMonitor.Storage.Postgres;

/// <summary>
/// Alerts and their notification queue in PostgreSQL. A pass's changes and the notifications they owe are one
/// transaction; the partial unique index keeps one active alert per condition across every instance.
/// </summary>
public sealed class PostgresAlertStore(PostgresDatabase database) : IAlertStore
{
    private const string Columns = StoreRows.AlertColumns;

    public async Task<IReadOnlyList<Alert>> CurrentAsync(DateTimeOffset resolvedSince, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM alerts WHERE state <> 2 OR resolved_ms >= @since ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("since", resolvedSince.ToUnixTimeMilliseconds()));
        return await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task ApplyAsync(IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var change in changes)
        {
            switch (change)
            {
                case AlertChange.Raise raise:
                    {
                        await using var insert = new NpgsqlCommand(
                            "INSERT INTO alerts (key, rule, subject, severity, state, building, finding, opened_ms, last_seen_ms) " +
                            "VALUES (@key, @rule, @subject, @severity, 0, @building, @finding, @at, @at) RETURNING id", connection, transaction);
                        insert.Parameters.Add(new NpgsqlParameter<string>("key", raise.Finding.Key));
                        insert.Parameters.Add(new NpgsqlParameter<string>("rule", raise.Finding.Rule));
                        insert.Parameters.Add(new NpgsqlParameter<string>("subject", raise.Finding.Subject));
                        insert.Parameters.Add(new NpgsqlParameter<int>("severity", (int)raise.Finding.Severity));
                        insert.Parameters.Add(new NpgsqlParameter("building", (object?)raise.Finding.Building ?? DBNull.Value));
                        insert.Parameters.Add(new NpgsqlParameter<string>("finding", StoreRows.Serialize(raise.Finding)));
                        insert.Parameters.Add(new NpgsqlParameter<long>("at", raise.At.ToUnixTimeMilliseconds()));
                        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                        await QueueAsync(connection, transaction, id, raise.Channels, NotificationKind.Raised, raise.At, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case AlertChange.Refresh refresh:
                    await UpdateAsync(connection, transaction, "UPDATE alerts SET finding = @finding, severity = @severity, last_seen_ms = @at WHERE id = @id AND state <> 2",
                        refresh.Id, refresh.Finding, refresh.At, cancellationToken).ConfigureAwait(false);
                    break;

                case AlertChange.Reopen reopen:
                    await UpdateAsync(connection, transaction,
                        "UPDATE alerts SET finding = @finding, severity = @severity, last_seen_ms = @at, state = 0, resolved_ms = NULL, acknowledged_ms = NULL, acknowledged_by = NULL WHERE id = @id",
                        reopen.Id, reopen.Finding, reopen.At, cancellationToken).ConfigureAwait(false);
                    break;

                case AlertChange.Resolve resolve:
                    {
                        await using var update = new NpgsqlCommand("UPDATE alerts SET state = 2, resolved_ms = @at WHERE id = @id AND state <> 2", connection, transaction);
                        update.Parameters.Add(new NpgsqlParameter<long>("id", resolve.Id));
                        update.Parameters.Add(new NpgsqlParameter<long>("at", resolve.At.ToUnixTimeMilliseconds()));
                        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                        {
                            await QueueAsync(connection, transaction, resolve.Id, resolve.Channels, NotificationKind.Recovered, resolve.At, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    }

                default:
                    throw new ArgumentOutOfRangeException(nameof(changes), change, "unknown alert change");
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM alerts WHERE (NOT @active OR state <> 2) AND (@building::text IS NULL OR building = @building) " +
            "AND severity >= @severity AND (@since::bigint IS NULL OR last_seen_ms >= @since) ORDER BY state <> 2 DESC, severity DESC, opened_ms DESC LIMIT @limit", connection);
        command.Parameters.Add(new NpgsqlParameter<bool>("active", query.ActiveOnly));
        command.Parameters.Add(new NpgsqlParameter("building", (object?)query.Building ?? DBNull.Value));
        command.Parameters.Add(new NpgsqlParameter<int>("severity", (int)(query.MinimumSeverity ?? AlertSeverity.Info)));
        command.Parameters.Add(new NpgsqlParameter("since", query.Since is { } since ? since.ToUnixTimeMilliseconds() : DBNull.Value));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", query.Limit));
        return await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Alert?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM alerts WHERE id = @id", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        return (await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<bool> AcknowledgeAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("UPDATE alerts SET state = 1, acknowledged_ms = @at, acknowledged_by = @by WHERE id = @id AND state <> 2", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("id", id));
        command.Parameters.Add(new NpgsqlParameter<string>("by", by));
        command.Parameters.Add(new NpgsqlParameter<long>("at", at.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<Notification>> DueAsync(string channel, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT {StoreRows.NotificationColumns} " +
            "FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id " +
            "WHERE n.channel = @channel AND n.delivered_ms IS NULL AND n.next_ms <= @now ORDER BY n.id LIMIT @limit", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("channel", channel));
        command.Parameters.Add(new NpgsqlParameter<long>("now", now.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var result = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Notification(reader, channel));
        }

        return result;
    }

    public async Task MarkDeliveredAsync(IReadOnlyCollection<long> notifications, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "UPDATE alert_notifications SET delivered_ms = @at, attempts = attempts + 1, last_error = NULL WHERE id = ANY(@ids)", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("at", at.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", notifications.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkFailedAsync(IReadOnlyCollection<long> notifications, string error, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "UPDATE alert_notifications SET attempts = attempts + 1, last_error = @error, next_ms = @next WHERE id = ANY(@ids) AND delivered_ms IS NULL", connection);
        command.Parameters.Add(new NpgsqlParameter<string>("error", error));
        command.Parameters.Add(new NpgsqlParameter<long>("next", retryAt.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", notifications.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, (int Pending, DateTimeOffset? Oldest)>> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT channel, count(*)::integer, min(created_ms) FROM alert_notifications WHERE delivered_ms IS NULL GROUP BY channel", connection);
        var result = new Dictionary<string, (int, DateTimeOffset?)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = (reader.GetInt32(1), StoreRows.Ms(reader, 2));
        }

        return result;
    }

    private static async Task QueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long alert, IReadOnlyList<string> channels, NotificationKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (channels.Count == 0)
        {
            return;
        }

        await using var insert = new NpgsqlCommand(
            "INSERT INTO alert_notifications (alert_id, channel, kind, created_ms, next_ms) SELECT @alert, channel, @kind, @at, @at FROM unnest(@channels) AS channel",
            connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<long>("alert", alert));
        insert.Parameters.Add(new NpgsqlParameter<int>("kind", (int)kind));
        insert.Parameters.Add(new NpgsqlParameter<long>("at", at.ToUnixTimeMilliseconds()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("channels", channels.ToArray()));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task UpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, long id, Finding finding, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand(sql, connection, transaction);
        update.Parameters.Add(new NpgsqlParameter<long>("id", id));
        update.Parameters.Add(new NpgsqlParameter<string>("finding", StoreRows.Serialize(finding)));
        update.Parameters.Add(new NpgsqlParameter<int>("severity", (int)finding.Severity));
        update.Parameters.Add(new NpgsqlParameter<long>("at", at.ToUnixTimeMilliseconds()));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Alert>> ReadAlertsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<Alert>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Alert(reader));
        }

        return result;
    }


}
