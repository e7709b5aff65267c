using System.Collections.Concurrent;
using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Npgsql;
using NpgsqlTypes;

namespace EnergyMonitor.Storage.Postgres;

/// <summary>
/// Readings in PostgreSQL, in a table partitioned by month. A batch goes in by binary COPY into a temporary table
/// and one upsert from it (last write wins, as in the other stores), with its change marks, in one transaction.
/// </summary>
public sealed class PostgresReadingStore(PostgresDatabase database) : IReadingStore
{
    private readonly ConcurrentDictionary<MeterId, int> _meterKeys = new();
    private readonly ConcurrentDictionary<long, bool> _partitions = new();

    public async Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return;
        }

        ReadingBatch.EnsureFinite(readings);

        // One row per key: an upsert may not touch a row twice, and the last write of a key wins.
        var rows = new Dictionary<(MeterId, long), Reading>();
        foreach (var reading in readings)
        {
            rows[(reading.Meter, reading.Timestamp.ToUnixTimeMilliseconds())] = reading;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = await MeterKeysAsync(connection, transaction, rows.Keys.Select(k => k.Item1).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
            await EnsurePartitionsAsync(connection, transaction, rows.Keys.Select(k => MonthStart(k.Item2)).Distinct().ToList(), cancellationToken).ConfigureAwait(false);

            await CopyAndUpsertAsync(connection, transaction, rows.Select(r => (keys[r.Key.Item1], r.Key.Item2, r.Value.Value, (int)r.Value.Quality)), raiseMarks: true, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A rolled-back transaction may have created meter keys or partitions that no longer exist.
            _meterKeys.Clear();
            _partitions.Clear();
            throw;
        }
    }

    /// <summary>
    /// Rows of one meter as they are (the migration's path): the same COPY and upsert, without change marks, since
    /// the consumption that the marks would ask for is copied too.
    /// </summary>
    internal async Task CopyRowsAsync(int meterKey, IReadOnlyList<(long Ms, double Value, int Quality)> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsurePartitionsAsync(connection, transaction, rows.Select(r => MonthStart(r.Ms)).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
            await CopyAndUpsertAsync(connection, transaction, rows.Select(r => (meterKey, r.Ms, r.Value, r.Quality)), raiseMarks: false, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _partitions.Clear();
            throw;
        }
    }

    public async Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand(
            "SELECT r.ts_ms, r.value, r.quality FROM readings r JOIN meters m ON m.meter_key = r.meter_key " +
            "WHERE m.meter_id = $1 AND r.ts_ms >= $2 AND r.ts_ms < $3 ORDER BY r.ts_ms", connection);
        query.Parameters.Add(new NpgsqlParameter<string> { TypedValue = meter.Value });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.ToUnixTimeMilliseconds() });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to.ToUnixTimeMilliseconds() });
        var result = new List<Reading>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StoreRows.Reading(reader, meter));
        }

        return result;
    }

    public async Task<Reading?> LatestAsync(MeterId meter, DateTimeOffset atOrBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand(
            "SELECT r.ts_ms, r.value, r.quality FROM readings r JOIN meters m ON m.meter_key = r.meter_key " +
            "WHERE m.meter_id = $1 AND r.ts_ms <= $2 ORDER BY r.ts_ms DESC LIMIT 1", connection);
        query.Parameters.Add(new NpgsqlParameter<string> { TypedValue = meter.Value });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = atOrBefore.ToUnixTimeMilliseconds() });
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? StoreRows.Reading(reader, meter)
            : null;
    }

    public async Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand(
            "SELECT m.meter_id, count(*) FROM readings r JOIN meters m ON m.meter_key = r.meter_key " +
            "WHERE r.ts_ms >= $1 AND r.ts_ms < $2 GROUP BY m.meter_id", connection);
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from.ToUnixTimeMilliseconds() });
        query.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to.ToUnixTimeMilliseconds() });
        var counts = new Dictionary<MeterId, long>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[new MeterId(reader.GetString(0))] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>
    /// Binary COPY into a temporary table, then one upsert from it (last write wins); with <paramref name="raiseMarks"/>,
    /// each meter's change mark from its earliest row, in the same transaction.
    /// </summary>
    private static async Task CopyAndUpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(int Key, long Ms, double Value, int Quality)> rows, bool raiseMarks, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE readings_in (meter_key integer, ts_ms bigint, value double precision, quality integer) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY readings_in (meter_key, ts_ms, value, quality) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var (key, ms, value, quality) in rows)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(key, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(ms, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(quality, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        const string upsert = "INSERT INTO readings (meter_key, ts_ms, value, quality) SELECT meter_key, ts_ms, value, quality FROM readings_in " +
            "ON CONFLICT (meter_key, ts_ms) DO UPDATE SET value = excluded.value, quality = excluded.quality;";
        const string marks = "INSERT INTO reading_changes (meter_key, from_ms, version) SELECT meter_key, min(ts_ms), 1 FROM readings_in GROUP BY meter_key " +
            "ON CONFLICT (meter_key) DO UPDATE SET from_ms = least(reading_changes.from_ms, excluded.from_ms), version = reading_changes.version + 1;";
        await using var write = new NpgsqlCommand(raiseMarks ? upsert + marks : upsert, connection, transaction);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first millisecond of the UTC month of <paramref name="ms"/>.</summary>
    internal static long MonthStart(long ms)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    private async Task<Dictionary<MeterId, int>> MeterKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<MeterId> meters, CancellationToken cancellationToken)
    {
        var missing = meters.Where(m => !_meterKeys.ContainsKey(m)).Select(m => m.Value).ToArray();
        if (missing.Length > 0)
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO meters (meter_id) SELECT unnest(@ids) ON CONFLICT (meter_id) DO NOTHING; " +
                "SELECT meter_id, meter_key FROM meters WHERE meter_id = ANY(@ids)", connection, transaction);
            upsert.Parameters.Add(new NpgsqlParameter<string[]>("ids", missing));
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _meterKeys[new MeterId(reader.GetString(0))] = reader.GetInt32(1);
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        return meters.ToDictionary(m => m, m => _meterKeys[m]);
    }

    /// <summary>
    /// Creates the month partitions a batch needs. Two instances may need the same month at once: a transaction-scoped
    /// advisory lock per month makes the second wait and then find it there.
    /// </summary>
    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<long> months, CancellationToken cancellationToken)
    {
        foreach (var month in months.Where(m => !_partitions.ContainsKey(m)))
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(month);
            var end = start.AddMonths(1).ToUnixTimeMilliseconds();
            var name = string.Create(CultureInfo.InvariantCulture, $"readings_{start.Year:D4}_{start.Month:D2}");
            await using var create = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture,
                $"SELECT pg_advisory_xact_lock({month}); CREATE TABLE IF NOT EXISTS {name} PARTITION OF readings FOR VALUES FROM ({month}) TO ({end})"),
                connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _partitions[month] = true;
        }
    }
}
