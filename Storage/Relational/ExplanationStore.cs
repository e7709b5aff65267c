using EnergyMonitor.Core.Ports;
using static EnergyMonitor.Storage.Relational.SqlConnections;

namespace EnergyMonitor.Storage.Relational;

/// <summary>The submission_explanations table, on the embedded file or PostgreSQL alike.</summary>
public sealed class ExplanationStore(SqlConnections db) : IExplanationStore
{
    public async Task<IReadOnlyList<SubmissionExplanation>> ListAsync(int year, CancellationToken cancellationToken) =>
        await db.QueryAsync(
            "SELECT year, institution, field, reason, by_user, at_ms FROM submission_explanations WHERE year = @y ORDER BY institution, field",
            r => new SubmissionExplanation(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), At(r, 5)),
            cancellationToken, ("y", year)).ConfigureAwait(false);

    public Task SaveAsync(SubmissionExplanation explanation, CancellationToken cancellationToken) =>
        db.ExecuteAsync(
            "INSERT INTO submission_explanations (year, institution, field, reason, by_user, at_ms) VALUES (@y, @i, @f, @r, @b, @t) " +
            "ON CONFLICT (year, institution, field) DO UPDATE SET reason = excluded.reason, by_user = excluded.by_user, at_ms = excluded.at_ms",
            cancellationToken, ("y", explanation.Year), ("i", explanation.Institution), ("f", explanation.Field), ("r", explanation.Reason), ("b", explanation.By), ("t", Ms(explanation.At)));

    public async Task<bool> RemoveAsync(int year, string institution, string field, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("DELETE FROM submission_explanations WHERE year = @y AND institution = @i AND field = @f", cancellationToken,
            ("y", year), ("i", institution), ("f", field)).ConfigureAwait(false) == 1;
}
