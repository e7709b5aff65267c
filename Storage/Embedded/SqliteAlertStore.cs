using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>
/// The alerts and alert_notifications tables. A pass's changes and the notifications they owe are one transaction,
/// so an alert is never raised without its notifications queued, nor queued twice.
/// </summary>
public sealed class SqliteAlertStore(SqliteDatabase database) : IAlertStore
{
    private const string Columns = StoreRows.AlertColumns;

    public async Task<IReadOnlyList<Alert>> CurrentAsync(DateTimeOffset resolvedSince, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE state <> 2 OR resolved_ms >= $since ORDER BY id";
        command.Parameters.AddWithValue("$since", resolvedSince.ToUnixTimeMilliseconds());
        return await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task ApplyAsync(IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var change in changes)
        {
            switch (change)
            {
                case AlertChange.Raise raise:
                    {
                        await using var insert = connection.CreateCommand();
                        insert.CommandText =
                            "INSERT INTO alerts (key, rule, subject, severity, state, building, finding, opened_ms, last_seen_ms) " +
                            "VALUES ($key, $rule, $subject, $severity, 0, $building, $finding, $at, $at) RETURNING id";
                        insert.Parameters.AddWithValue("$key", raise.Finding.Key);
                        insert.Parameters.AddWithValue("$rule", raise.Finding.Rule);
                        insert.Parameters.AddWithValue("$subject", raise.Finding.Subject);
                        insert.Parameters.AddWithValue("$severity", (int)raise.Finding.Severity);
                        insert.Parameters.AddWithValue("$building", (object?)raise.Finding.Building ?? DBNull.Value);
                        insert.Parameters.AddWithValue("$finding", StoreRows.Serialize(raise.Finding));
                        insert.Parameters.AddWithValue("$at", raise.At.ToUnixTimeMilliseconds());
                        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                        await QueueAsync(connection, id, raise.Channels, NotificationKind.Raised, raise.At, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case AlertChange.Refresh refresh:
                    await UpdateAsync(connection, "UPDATE alerts SET finding = $finding, severity = $severity, last_seen_ms = $at WHERE id = $id AND state <> 2",
                        refresh.Id, refresh.Finding, refresh.At, cancellationToken).ConfigureAwait(false);
                    break;

                case AlertChange.Reopen reopen:
                    await UpdateAsync(connection, "UPDATE alerts SET finding = $finding, severity = $severity, last_seen_ms = $at, state = 0, resolved_ms = NULL, acknowledged_ms = NULL, acknowledged_by = NULL WHERE id = $id",
                        reopen.Id, reopen.Finding, reopen.At, cancellationToken).ConfigureAwait(false);
                    break;

                case AlertChange.Resolve resolve:
                    {
                        await using var update = connection.CreateCommand();
                        update.CommandText = "UPDATE alerts SET state = 2, resolved_ms = $at WHERE id = $id AND state <> 2";
                        update.Parameters.AddWithValue("$id", resolve.Id);
                        update.Parameters.AddWithValue("$at", resolve.At.ToUnixTimeMilliseconds());
                        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                        {
                            await QueueAsync(connection, resolve.Id, resolve.Channels, NotificationKind.Recovered, resolve.At, cancellationToken).ConfigureAwait(false);
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
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {Columns} FROM alerts WHERE ($active = 0 OR state <> 2) AND ($building IS NULL OR building = $building) " +
            "AND severity >= $severity AND ($since IS NULL OR last_seen_ms >= $since) ORDER BY state <> 2 DESC, severity DESC, opened_ms DESC LIMIT $limit";
        command.Parameters.AddWithValue("$active", query.ActiveOnly ? 1 : 0);
        command.Parameters.AddWithValue("$building", (object?)query.Building ?? DBNull.Value);
        command.Parameters.AddWithValue("$severity", (int)(query.MinimumSeverity ?? AlertSeverity.Info));
        command.Parameters.AddWithValue("$since", query.Since is { } since ? since.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        return await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Alert?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM alerts WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (await ReadAlertsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<bool> AcknowledgeAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE alerts SET state = 1, acknowledged_ms = $at, acknowledged_by = $by WHERE id = $id AND state <> 2";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$by", by);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<Notification>> DueAsync(string channel, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {StoreRows.NotificationColumns} " +
            "FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id " +
            "WHERE n.channel = $channel AND n.delivered_ms IS NULL AND n.next_ms <= $now ORDER BY n.id LIMIT $limit";
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Notification(reader, channel));
        }

        return result;
    }

    public async Task MarkDeliveredAsync(IReadOnlyCollection<long> notifications, DateTimeOffset at, CancellationToken cancellationToken) =>
        await EachAsync(notifications, "UPDATE alert_notifications SET delivered_ms = $at, attempts = attempts + 1, last_error = NULL WHERE id = $id", c => c.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false);

    public async Task MarkFailedAsync(IReadOnlyCollection<long> notifications, string error, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        await EachAsync(notifications, "UPDATE alert_notifications SET attempts = attempts + 1, last_error = $error, next_ms = $next WHERE id = $id AND delivered_ms IS NULL", c =>
        {
            c.Parameters.AddWithValue("$error", error);
            c.Parameters.AddWithValue("$next", retryAt.ToUnixTimeMilliseconds());
        }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<string, (int Pending, DateTimeOffset? Oldest)>> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT channel, count(*), min(created_ms) FROM alert_notifications WHERE delivered_ms IS NULL GROUP BY channel";
        var result = new Dictionary<string, (int, DateTimeOffset?)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = (reader.GetInt32(1), StoreRows.Ms(reader, 2));
        }

        return result;
    }

    private static async Task QueueAsync(SqliteConnection connection, long alert, IReadOnlyList<string> channels, NotificationKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var channel in channels)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO alert_notifications (alert_id, channel, kind, created_ms, next_ms) VALUES ($a, $c, $k, $at, $at)";
            insert.Parameters.AddWithValue("$a", alert);
            insert.Parameters.AddWithValue("$c", channel);
            insert.Parameters.AddWithValue("$k", (int)kind);
            insert.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task UpdateAsync(SqliteConnection connection, string sql, long id, Finding finding, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var update = connection.CreateCommand();
        update.CommandText = sql;
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$finding", StoreRows.Serialize(finding));
        update.Parameters.AddWithValue("$severity", (int)finding.Severity);
        update.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EachAsync(IReadOnlyCollection<long> ids, string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var value in ids)
        {
            id.Value = value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Alert>> ReadAlertsAsync(SqliteCommand command, CancellationToken cancellationToken)
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
