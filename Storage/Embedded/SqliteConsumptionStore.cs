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

    public async Task<ConsumptionCheckpoint?> CheckpointBeforeAsync(MeterId meter, DateTimeOffset changedFrom, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT boundary_ms, anchor_ms, anchor_value, anchor_quality, run_since_ms, horizon_ms FROM consumption_checkpoints
            WHERE meter = $id AND horizon_ms < $c ORDER BY boundary_ms DESC LIMIT 1
            """;
        query.Parameters.AddWithValue("$id", meter.Value);
        query.Parameters.AddWithValue("$c", changedFrom.ToUnixTimeMilliseconds());
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var anchor = new Reading(meter, Instant(reader.GetInt64(1)), reader.GetDouble(2), (ReadingQuality)reader.GetInt32(3));
        return new ConsumptionCheckpoint(Instant(reader.GetInt64(0)), anchor, Instant(reader.GetInt64(4)), Instant(reader.GetInt64(5)));
    }

    private static DateTimeOffset Instant(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public async Task ReplaceIntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset? to, IReadOnlyList<ConsumptionInterval> intervals, IReadOnlyList<ConsumptionCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (table, column) in new[] { ("consumption_intervals", "start_ms"), ("consumption_checkpoints", "boundary_ms") })
        {
            await using var delete = connection.CreateCommand();
            delete.CommandText = $"DELETE FROM {table} WHERE meter = $id AND {column} >= $from AND {column} < $to";
            delete.Parameters.AddWithValue("$id", meter.Value);
            delete.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await SqliteInserts.InsertAllAsync(connection, "consumption_intervals", ["meter", "start_ms", "amount", "estimated", "rejected", "flags"], intervals, (p, i) =>
        {
            p[0] = meter.Value;
            p[1] = i.Start.ToUnixTimeMilliseconds();
            p[2] = i.Amount;
            p[3] = i.Estimated;
            p[4] = i.Rejected;
            p[5] = (int)i.Flags;
        }, cancellationToken).ConfigureAwait(false);

        await SqliteInserts.InsertAllAsync(connection, "consumption_checkpoints", ["meter", "boundary_ms", "anchor_ms", "anchor_value", "anchor_quality", "run_since_ms", "horizon_ms"], checkpoints, (p, c) =>
        {
            p[0] = meter.Value;
            p[1] = c.Boundary.ToUnixTimeMilliseconds();
            p[2] = c.Anchor.Timestamp.ToUnixTimeMilliseconds();
            p[3] = c.Anchor.Value;
            p[4] = (int)c.Anchor.Quality;
            p[5] = c.RunSince.ToUnixTimeMilliseconds();
            p[6] = c.Horizon.ToUnixTimeMilliseconds();
        }, cancellationToken).ConfigureAwait(false);

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

        await SqliteInserts.InsertAllAsync(connection, "rollups", ["series", "period", "start_ms", "amount", "estimated", "rejected", "flags", "intervals"], rows, (p, r) =>
        {
            p[0] = series;
            p[1] = (int)period;
            p[2] = r.Start.ToUnixTimeMilliseconds();
            p[3] = r.Amount;
            p[4] = r.Estimated;
            p[5] = r.Rejected;
            p[6] = (int)r.Flags;
            p[7] = r.Intervals;
        }, cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RollupRow>> RollupsAsync(IReadOnlyCollection<string> series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText =
            "SELECT start_ms, amount, estimated, rejected, flags, intervals FROM rollups " +
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

            // SQLite reads are synchronous underneath: an awaited ReadAsync per row only adds a state machine to each of
            // the hundreds of thousands of rows an anomaly pass or a report reads. The series name is the one asked for.
            while (reader.Read())
            {
                result.Add(new RollupRow(s, period, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1),
                    reader.GetDouble(2), reader.GetDouble(3), (IntervalFlags)reader.GetInt32(4), reader.GetInt32(5)));
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return result;
    }

    /// <summary>
    /// Sums the member series' rows of one period in <c>[from, to)</c> into the group series, replacing its rows
    /// there, inside the database: no row leaves SQLite.
    /// </summary>
    public async Task SumRollupsAsync(string group, IReadOnlyCollection<string> members, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "DELETE FROM rollups WHERE series = $g AND period = $p AND start_ms >= $from AND start_ms < $to; " +
            "INSERT INTO rollups (series, period, start_ms, amount, estimated, rejected, flags, intervals) " +
            "SELECT $g, $p, start_ms, SUM(amount), SUM(estimated), SUM(rejected), " + FlagsUnion + ", SUM(intervals) FROM rollups " +
            "WHERE series IN (SELECT value FROM json_each($members)) AND period = $p AND start_ms >= $from AND start_ms < $to GROUP BY start_ms";
        command.Parameters.AddWithValue("$g", group);
        command.Parameters.AddWithValue("$p", (int)period);
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$members", System.Text.Json.JsonSerializer.Serialize(members));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // SQLite has no bitwise-OR aggregate; the union of the interval flags is the OR of each bit's maximum.
    private static readonly string FlagsUnion = "(" + string.Join(" | ", Enumerable.Range(0, 16).Select(b => $"MAX(flags & {1 << b})")) + ")";
}
