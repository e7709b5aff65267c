using EnergyMonitor.Core.Ports;
using static EnergyMonitor.Storage.Relational.SqlConnections;

namespace EnergyMonitor.Storage.Relational;

/// <summary>The audit_log table, on the embedded file or PostgreSQL alike: inserted into, never updated.</summary>
public sealed class AuditLog(SqlConnections db) : IAuditLog
{
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (@t, @a, @x, @s, @d)", cancellationToken,
            ("t", Ms(entry.At)), ("a", entry.Actor), ("x", entry.Action), ("s", entry.Subject), ("d", entry.Detail));

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? before, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            "SELECT id, at_ms, actor, action, subject, detail FROM audit_log WHERE id < @b ORDER BY id DESC LIMIT @l",
            r => new AuditEntry(r.GetInt64(0), At(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)),
            cancellationToken, ("b", before ?? long.MaxValue), ("l", Math.Clamp(limit, 1, 1000))).ConfigureAwait(false);
}
