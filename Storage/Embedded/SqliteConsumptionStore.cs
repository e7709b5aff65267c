using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>Consumption intervals, rollups and watermarks in the embedded database.</summary>
public sealed class SqliteConsumptionStore(SqliteDatabase database) : IConsumptionStore
{
    public async Task<IReadOnlyList<ReadingChange>> ChangesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT m.meter_id, c.from_ms, c.version FROM reading_changes c JOIN meters m ON m.meter_key = c.meter_key ORDER BY m.meter_id";
        var result = new List<ReadingChange>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ReadingChange(new MeterId(reader.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2)));
        }

        return result;
    }

    public async Task ClearChangesAsync(IReadOnlyCollection<ReadingChange> changes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM reading_changes WHERE version = $v AND meter_key = (SELECT meter_key FROM meters WHERE meter_id = $id)";
        var id = delete.Parameters.Add("$id", SqliteType.Text);
        var version = delete.Parameters.Add("$v", SqliteType.Integer);
        foreach (var change in changes)
        {
            id.Value = change.Meter.Value;
            version.Value = change.Version;
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> DecidedThroughAsync(MeterId meter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT decided_ms FROM consumption_watermarks WHERE meter = $id";
        query.Parameters.AddWithValue("$id", meter.Value);
        return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public async Task ReplaceIntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset? to, IReadOnlyList<ConsumptionInterval> intervals, DateTimeOffset? decidedThrough, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM consumption_intervals WHERE meter = $id AND start_ms >= $from AND start_ms < $to";
            delete.Parameters.AddWithValue("$id", meter.Value);
            delete.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO consumption_intervals (meter, start_ms, amount, estimated, rejected, flags) VALUES ($id, $s, $a, $e, $r, $f)";
            insert.Parameters.AddWithValue("$id", meter.Value);
            var start = insert.Parameters.Add("$s", SqliteType.Integer);
            var amount = insert.Parameters.Add("$a", SqliteType.Real);
            var estimated = insert.Parameters.Add("$e", SqliteType.Real);
            var rejected = insert.Parameters.Add("$r", SqliteType.Real);
            var flags = insert.Parameters.Add("$f", SqliteType.Integer);
            insert.Prepare();
            foreach (var i in intervals)
            {
                start.Value = i.Start.ToUnixTimeMilliseconds();
                amount.Value = i.Amount;
                estimated.Value = i.Estimated;
                rejected.Value = i.Rejected;
                flags.Value = (int)i.Flags;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var watermark = connection.CreateCommand())
        {
            watermark.CommandText = "INSERT INTO consumption_watermarks (meter, decided_ms) VALUES ($id, $d) ON CONFLICT (meter) DO UPDATE SET decided_ms = excluded.decided_ms";
            watermark.Parameters.AddWithValue("$id", meter.Value);
            watermark.Parameters.AddWithValue("$d", (object?)decidedThrough?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            await watermark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConsumptionInterval>> IntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT start_ms, amount, estimated, rejected, flags FROM consumption_intervals WHERE meter = $id AND start_ms >= $from AND start_ms < $to ORDER BY start_ms";
        query.Parameters.AddWithValue("$id", meter.Value);
        query.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        var result = new List<ConsumptionInterval>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ConsumptionInterval(meter, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), (IntervalFlags)reader.GetInt32(4)));
        }

        return result;
    }

    public async Task ReplaceRollupsAsync(string series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<RollupRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM rollups WHERE series = $s AND period = $p AND start_ms >= $from AND start_ms < $to";
            delete.Parameters.AddWithValue("$s", series);
            delete.Parameters.AddWithValue("$p", (int)period);
            delete.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO rollups (series, period, start_ms, amount, estimated, rejected, flags, intervals) VALUES ($s, $p, $t, $a, $e, $r, $f, $n)";
            insert.Parameters.AddWithValue("$s", series);
            insert.Parameters.AddWithValue("$p", (int)period);
            var start = insert.Parameters.Add("$t", SqliteType.Integer);
            var amount = insert.Parameters.Add("$a", SqliteType.Real);
            var estimated = insert.Parameters.Add("$e", SqliteType.Real);
            var rejected = insert.Parameters.Add("$r", SqliteType.Real);
            var flags = insert.Parameters.Add("$f", SqliteType.Integer);
            var count = insert.Parameters.Add("$n", SqliteType.Integer);
            insert.Prepare();
            foreach (var row in rows)
            {
                start.Value = row.Start.ToUnixTimeMilliseconds();
                amount.Value = row.Amount;
                estimated.Value = row.Estimated;
                rejected.Value = row.Rejected;
                flags.Value = (int)row.Flags;
                count.Value = row.Intervals;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RollupRow>> RollupsAsync(IReadOnlyCollection<string> series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText =
            "SELECT series, start_ms, amount, estimated, rejected, flags, intervals FROM rollups " +
            "WHERE series = $s AND period = $p AND start_ms >= $from AND start_ms < $to ORDER BY start_ms";
        var name = query.Parameters.Add("$s", SqliteType.Text);
        query.Parameters.AddWithValue("$p", (int)period);
        query.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        var result = new List<RollupRow>();
        foreach (var s in series.Order(StringComparer.Ordinal))
        {
            name.Value = s;
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(new RollupRow(reader.GetString(0), period, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetDouble(2),
                    reader.GetDouble(3), reader.GetDouble(4), (IntervalFlags)reader.GetInt32(5), reader.GetInt32(6)));
            }
        }

        return result;
    }
}
