using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>The indicators table of the embedded database.</summary>
public sealed class SqliteIndicatorStore(SqliteDatabase database) : IIndicatorStore
{
    public async Task SaveAsync(string institution, DateTimeOffset through, string coefficientSet, string json, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO indicators (institution, through_ms, coefficient_set, document) VALUES ($i, $t, $s, $d) " +
            "ON CONFLICT (institution, through_ms) DO UPDATE SET coefficient_set = excluded.coefficient_set, document = excluded.document";
        command.Parameters.AddWithValue("$i", institution);
        command.Parameters.AddWithValue("$t", through.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$s", coefficientSet);
        command.Parameters.AddWithValue("$d", json);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<(DateTimeOffset Through, string CoefficientSet, string Json)?> LatestAsync(string institution, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT through_ms, coefficient_set, document FROM indicators WHERE institution = $i ORDER BY through_ms DESC LIMIT 1";
        command.Parameters.AddWithValue("$i", institution);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2))
            : null;
    }
}
