using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Npgsql;
using NpgsqlTypes;

namespace EnergyMonitor.Storage.Postgres;

/// <summary>Consumption intervals, checkpoints, rollups and change marks in PostgreSQL; the same answers as the embedded store's.</summary>
public sealed class PostgresConsumptionStore(PostgresDatabase database) : IConsumptionStore
{
    public async Task<IReadOnlyList<ReadingChange>> ChangesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand(
            "SELECT m.meter_id, c.from_ms, c.version FROM reading_changes c JOIN meters m ON m.meter_key = c.meter_key ORDER BY m.meter_id COLLATE \"C\"", connection);
        var result = new List<ReadingChange>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ReadingChange(new MeterId(reader.GetString(0)), Instant(reader.GetInt64(1)), reader.GetInt64(2)));
        }

        return result;
    }

    public async Task ClearChangesAsync(IReadOnlyCollection<ReadingChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        // A mark raised again since it was read has another version and stays.
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand("""
            DELETE FROM reading_changes c USING meters m, unnest($1, $2) AS cleared (meter_id, version)
            WHERE m.meter_key = c.meter_key AND m.meter_id = cleared.meter_id AND c.version = cleared.version
            """, connection);
        delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = changes.Select(c => c.Meter.Value).ToArray() });
        delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = changes.Select(c => c.Version).ToArray() });
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConsumptionCheckpoint?> CheckpointBeforeAsync(MeterId meter, DateTimeOffset changedFrom, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand("""
            SELECT boundary_ms, anchor_ms, anchor_value, anchor_quality, run_since_ms, horizon_ms FROM consumption_checkpoints
            WHERE meter = $1 AND horizon_ms < $2 ORDER BY boundary_ms DESC LIMIT 1
            """, connection);
        query.Parameters.Add(new NpgsqlParameter<string> { TypedValue = meter.Value });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = changedFrom.ToUnixTimeMilliseconds() });
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var anchor = new Reading(meter, Instant(reader.GetInt64(1)), reader.GetDouble(2), (ReadingQuality)reader.GetInt32(3));
        return new ConsumptionCheckpoint(Instant(reader.GetInt64(0)), anchor, Instant(reader.GetInt64(4)), Instant(reader.GetInt64(5)));
    }

    public async Task ReplaceIntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset? to, IReadOnlyList<ConsumptionInterval> intervals, IReadOnlyList<ConsumptionCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        if (intervals.Count + checkpoints.Count <= SmallWrite)
        {
            await ReplaceFewIntervalsAsync(meter, from, to, intervals, checkpoints, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Named parameters: Npgsql splits a command of several statements only when it rewrites them.
        await using (var delete = new NpgsqlCommand("""
            DELETE FROM consumption_intervals WHERE meter = @meter AND start_ms >= @from AND start_ms < @to;
            DELETE FROM consumption_checkpoints WHERE meter = @meter AND boundary_ms >= @from AND boundary_ms < @to;
            """, connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter<string>("meter", meter.Value));
            delete.Parameters.Add(new NpgsqlParameter<long>("from", from.ToUnixTimeMilliseconds()));
            delete.Parameters.Add(new NpgsqlParameter<long>("to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue));
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY consumption_intervals (meter, start_ms, amount, estimated, rejected, flags) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var i in intervals)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(meter.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(i.Start.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(i.Amount, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(i.Estimated, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(i.Rejected, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((int)i.Flags, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY consumption_checkpoints (meter, boundary_ms, anchor_ms, anchor_value, anchor_quality, run_since_ms, horizon_ms) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var c in checkpoints)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(meter.Value, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Boundary.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Anchor.Timestamp.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Anchor.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((int)c.Anchor.Quality, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.RunSince.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Horizon.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConsumptionInterval>> IntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand(
            "SELECT start_ms, amount, estimated, rejected, flags FROM consumption_intervals WHERE meter = $1 AND start_ms >= $2 AND start_ms < $3 ORDER BY start_ms", connection);
        query.Parameters.Add(new NpgsqlParameter<string> { TypedValue = meter.Value });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.ToUnixTimeMilliseconds() });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to.ToUnixTimeMilliseconds() });
        var result = new List<ConsumptionInterval>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ConsumptionInterval(meter, Instant(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), (IntervalFlags)reader.GetInt32(4)));
        }

        return result;
    }

    public async Task ReplaceRollupsAsync(string series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<RollupRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count <= SmallWrite)
        {
            await ReplaceFewRollupsAsync(series, period, from, to, rows, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var delete = new NpgsqlCommand("DELETE FROM rollups WHERE series = $1 AND period = $2 AND start_ms >= $3 AND start_ms < $4", connection, transaction))
        {
            AddRange(delete, series, period, from, to);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY rollups (series, period, start_ms, amount, estimated, rejected, flags, intervals) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(series, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((int)period, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Start.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Amount, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Estimated, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Rejected, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((int)r.Flags, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(r.Intervals, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RollupRow>> RollupsAsync(IReadOnlyCollection<string> series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // One query for every series, ordered as the embedded store answers: by series name (ordinal), then start.
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand("""
            SELECT series, start_ms, amount, estimated, rejected, flags, intervals FROM rollups
            WHERE series = ANY($1) AND period = $2 AND start_ms >= $3 AND start_ms < $4 ORDER BY series COLLATE "C", start_ms
            """, connection);
        query.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = series.Distinct().ToArray() });
        query.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)period });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.ToUnixTimeMilliseconds() });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to.ToUnixTimeMilliseconds() });
        var result = new List<RollupRow>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new RollupRow(reader.GetString(0), period, Instant(reader.GetInt64(1)), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                (IntervalFlags)reader.GetInt32(5), reader.GetInt32(6)));
        }

        return result;
    }

    /// <summary>Sums the members' rows into the group series inside the database, as the embedded store does.</summary>
    public async Task SumRollupsAsync(string group, IReadOnlyCollection<string> members, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One command of two statements: one round trip, and atomic as the implicit transaction PostgreSQL runs it in.
        await using var command = new NpgsqlCommand("""
            DELETE FROM rollups WHERE series = @series AND period = @period AND start_ms >= @from AND start_ms < @to;
            INSERT INTO rollups (series, period, start_ms, amount, estimated, rejected, flags, intervals)
            SELECT @series, @period, start_ms, sum(amount), sum(estimated), sum(rejected), bit_or(flags), sum(intervals)::integer FROM rollups
            WHERE series = ANY(@members) AND period = @period AND start_ms >= @from AND start_ms < @to GROUP BY start_ms;
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("series", group));
        command.Parameters.Add(new NpgsqlParameter<int>("period", (int)period));
        command.Parameters.Add(new NpgsqlParameter<long>("from", from.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<long>("to", to.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("members", members.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddRange(NpgsqlCommand command, string series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = series });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)period });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to.ToUnixTimeMilliseconds() });
    }

    private static DateTimeOffset Instant(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>
    /// Up to this many rows are written with the delete in one command of two statements (one round trip, one implicit
    /// transaction) rather than a transaction around a delete and a binary COPY (four round trips): the incremental
    /// pass writes a few rows per meter and per period, and its time was round trips (docs/PERFORMANCE.md).
    /// </summary>
    private const int SmallWrite = 1000;

    private async Task ReplaceFewIntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset? to, IReadOnlyList<ConsumptionInterval> intervals, IReadOnlyList<ConsumptionCheckpoint> checkpoints,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            DELETE FROM consumption_intervals WHERE meter = @meter AND start_ms >= @from AND start_ms < @to;
            DELETE FROM consumption_checkpoints WHERE meter = @meter AND boundary_ms >= @from AND boundary_ms < @to;
            INSERT INTO consumption_intervals (meter, start_ms, amount, estimated, rejected, flags)
                SELECT @meter, * FROM unnest(@starts, @amounts, @estimated, @rejected, @flags);
            INSERT INTO consumption_checkpoints (meter, boundary_ms, anchor_ms, anchor_value, anchor_quality, run_since_ms, horizon_ms)
                SELECT @meter, * FROM unnest(@boundaries, @anchors, @anchorValues, @anchorQualities, @runsSince, @horizons);
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("meter", meter.Value));
        command.Parameters.Add(new NpgsqlParameter<long>("from", from.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<long>("to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue));
        command.Parameters.Add(new NpgsqlParameter<long[]>("starts", [.. intervals.Select(i => i.Start.ToUnixTimeMilliseconds())]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("amounts", [.. intervals.Select(i => i.Amount)]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("estimated", [.. intervals.Select(i => i.Estimated)]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("rejected", [.. intervals.Select(i => i.Rejected)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("flags", [.. intervals.Select(i => (int)i.Flags)]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("boundaries", [.. checkpoints.Select(c => c.Boundary.ToUnixTimeMilliseconds())]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("anchors", [.. checkpoints.Select(c => c.Anchor.Timestamp.ToUnixTimeMilliseconds())]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("anchorValues", [.. checkpoints.Select(c => c.Anchor.Value)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("anchorQualities", [.. checkpoints.Select(c => (int)c.Anchor.Quality)]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("runsSince", [.. checkpoints.Select(c => c.RunSince.ToUnixTimeMilliseconds())]));
        command.Parameters.Add(new NpgsqlParameter<long[]>("horizons", [.. checkpoints.Select(c => c.Horizon.ToUnixTimeMilliseconds())]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReplaceFewRollupsAsync(string series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<RollupRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            DELETE FROM rollups WHERE series = @series AND period = @period AND start_ms >= @from AND start_ms < @to;
            INSERT INTO rollups (series, period, start_ms, amount, estimated, rejected, flags, intervals)
                SELECT @series, @period, * FROM unnest(@starts, @amounts, @estimated, @rejected, @flags, @intervals);
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("series", series));
        command.Parameters.Add(new NpgsqlParameter<int>("period", (int)period));
        command.Parameters.Add(new NpgsqlParameter<long>("from", from.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<long>("to", to.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("starts", [.. rows.Select(r => r.Start.ToUnixTimeMilliseconds())]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("amounts", [.. rows.Select(r => r.Amount)]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("estimated", [.. rows.Select(r => r.Estimated)]));
        command.Parameters.Add(new NpgsqlParameter<double[]>("rejected", [.. rows.Select(r => r.Rejected)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("flags", [.. rows.Select(r => (int)r.Flags)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("intervals", [.. rows.Select(r => r.Intervals)]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

}
