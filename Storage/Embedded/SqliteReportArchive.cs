using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>The report_archive table of the embedded database.</summary>
public sealed class SqliteReportArchive(SqliteDatabase database) : IReportArchive
{
    public async Task AddAsync(ArchivedReport report, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO report_archive (period, scope, format, path, sha256, bytes, generated_ms) VALUES ($p, $s, $f, $path, $h, $b, $g) " +
            "ON CONFLICT (period, scope, format) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, bytes = excluded.bytes, generated_ms = excluded.generated_ms";
        command.Parameters.AddWithValue("$p", report.Period);
        command.Parameters.AddWithValue("$s", report.Scope);
        command.Parameters.AddWithValue("$f", report.Format);
        command.Parameters.AddWithValue("$path", report.Path);
        command.Parameters.AddWithValue("$h", report.Sha256);
        command.Parameters.AddWithValue("$b", report.Bytes);
        command.Parameters.AddWithValue("$g", report.GeneratedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ArchivedReport>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, period, scope, format, path, sha256, bytes, generated_ms FROM report_archive ORDER BY generated_ms DESC, id DESC";
        var result = new List<ArchivedReport>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Archived(reader));
        }

        return result;
    }
}
