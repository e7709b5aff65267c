using EnergyMonitor.Core.Domain;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>
/// Raises the consumption change marks (table <c>reading_changes</c>) for readings that have just become
/// readable in the store, inside the caller's transaction, so that a mark never exists without its readings
/// nor readings without their mark.
/// </summary>
internal static class ChangeMarks
{
    public static async Task RaiseAsync(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<Reading> readings, CancellationToken cancellationToken)
    {
        var earliest = new Dictionary<MeterId, long>();
        foreach (var r in readings)
        {
            var ms = r.Timestamp.ToUnixTimeMilliseconds();
            earliest[r.Meter] = earliest.TryGetValue(r.Meter, out var e) ? Math.Min(e, ms) : ms;
        }

        await using var mark = connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText =
            "INSERT INTO meters (meter_id) VALUES ($id) ON CONFLICT (meter_id) DO NOTHING; " +
            "INSERT INTO reading_changes (meter_key, from_ms, version) SELECT meter_key, $f, 1 FROM meters WHERE meter_id = $id " +
            "ON CONFLICT (meter_key) DO UPDATE SET from_ms = min(from_ms, excluded.from_ms), version = version + 1";
        var id = mark.Parameters.Add("$id", SqliteType.Text);
        var from = mark.Parameters.Add("$f", SqliteType.Integer);
        foreach (var (meter, ms) in earliest)
        {
            id.Value = meter.Value;
            from.Value = ms;
            await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
