using System.Data.Common;
using EnergyMonitor.Core.Ports;
using static EnergyMonitor.Storage.Relational.SqlConnections;

namespace EnergyMonitor.Storage.Relational;

/// <summary>The users and console_sessions tables, on the embedded file or PostgreSQL alike.</summary>
public sealed class AccountStore(SqlConnections db) : IAccountStore
{
    private const string Columns = "name, display_name, role, password_hash, disabled, failed_attempts, locked_until_ms, created_ms, changed_ms";

    public async Task<UserAccount?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await db.QueryAsync($"SELECT {Columns} FROM users WHERE name = @n", r => Account(r, 0), cancellationToken, ("n", name)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken) =>
        await db.QueryAsync($"SELECT {Columns} FROM users ORDER BY name", r => Account(r, 0), cancellationToken).ConfigureAwait(false);

    public async Task<bool> AddAsync(UserAccount account, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(
            $"INSERT INTO users ({Columns}) VALUES (@n, @d, @r, @h, @x, 0, NULL, @c, @c) ON CONFLICT (name) DO NOTHING", cancellationToken,
            ("n", account.Name), ("d", account.DisplayName), ("r", account.Role), ("h", account.PasswordHash), ("x", account.Disabled ? 1 : 0), ("c", Ms(account.Created))).ConfigureAwait(false) == 1;

    public async Task<bool> UpdateAsync(UserAccount account, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var ends = Command(connection,
            "DELETE FROM console_sessions WHERE user_name = @n AND EXISTS (SELECT 1 FROM users WHERE name = @n AND (password_hash <> @h OR role <> @r OR disabled <> @x))",
            ("n", account.Name), ("h", account.PasswordHash), ("r", account.Role), ("x", account.Disabled ? 1 : 0));
        ends.Transaction = transaction;
        await ends.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var update = Command(connection,
            "UPDATE users SET display_name = @d, role = @r, password_hash = @h, disabled = @x, failed_attempts = 0, locked_until_ms = NULL, changed_ms = @c WHERE name = @n",
            ("n", account.Name), ("d", account.DisplayName), ("r", account.Role), ("h", account.PasswordHash), ("x", account.Disabled ? 1 : 0), ("c", Ms(account.Changed)));
        update.Transaction = transaction;
        var changed = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    // One statement: two wrong passwords arriving together at two instances both count.
    public async Task<UserAccount?> RecordFailureAsync(string name, int limit, DateTimeOffset lockUntil, CancellationToken cancellationToken) =>
        (await db.QueryAsync(
            "UPDATE users SET " +
            "locked_until_ms = CASE WHEN failed_attempts + 1 >= @limit THEN @until ELSE locked_until_ms END, " +
            "failed_attempts = CASE WHEN failed_attempts + 1 >= @limit THEN 0 ELSE failed_attempts + 1 END " +
            $"WHERE name = @n RETURNING {Columns}",
            r => Account(r, 0), cancellationToken, ("n", name), ("limit", limit), ("until", Ms(lockUntil))).ConfigureAwait(false)).FirstOrDefault();

    public Task RecordSuccessAsync(string name, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE users SET failed_attempts = 0 WHERE name = @n AND failed_attempts <> 0", cancellationToken, ("n", name));

    public Task StartSessionAsync(ConsoleSession session, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT INTO console_sessions (id_hash, user_name, started_ms, seen_ms, expires_ms) VALUES (@i, @u, @s, @s, @e)", cancellationToken,
            ("i", session.IdHash), ("u", session.User), ("s", Ms(session.Started)), ("e", Ms(session.Expires)));

    public async Task<(ConsoleSession Session, UserAccount Account)?> FindSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        var rows = await db.QueryAsync(
            $"SELECT s.id_hash, s.user_name, s.started_ms, s.seen_ms, s.expires_ms, {string.Join(", ", Columns.Split(", ").Select(c => "u." + c))} " +
            "FROM console_sessions s JOIN users u ON u.name = s.user_name WHERE s.id_hash = @i",
            r => (new ConsoleSession(r.GetString(0), r.GetString(1), At(r, 2), At(r, 3), At(r, 4)), Account(r, 5)), cancellationToken, ("i", idHash)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task TouchSessionAsync(string idHash, DateTimeOffset seen, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE console_sessions SET seen_ms = @s WHERE id_hash = @i AND seen_ms < @s", cancellationToken, ("i", idHash), ("s", Ms(seen)));

    public Task EndSessionAsync(string idHash, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM console_sessions WHERE id_hash = @i", cancellationToken, ("i", idHash));

    public Task<int> PruneSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM console_sessions WHERE expires_ms <= @t", cancellationToken, ("t", Ms(now)));

    private static UserAccount Account(DbDataReader r, int at) => new(
        r.GetString(at), r.GetString(at + 1), r.GetString(at + 2), r.GetString(at + 3), r.GetInt32(at + 4) != 0, r.GetInt32(at + 5),
        AtOrNull(r, at + 6), At(r, at + 7), At(r, at + 8));
}
