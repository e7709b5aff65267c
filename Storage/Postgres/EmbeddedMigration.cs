using System.Globalization;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace EnergyMonitor.Storage.Postgres;

/// <summary>How far the copy of one table has got, for a progress bar.</summary>
public readonly record struct MigrationProgress(string Table, long Done, long Total);

/// <summary>What a verification found for one table: the rows (and, where it matters, the sum of values) on each side.</summary>
public sealed record TableCheck(string Table, long SourceRows, long TargetRows, double SourceSum, double TargetSum, IReadOnlyList<string> Mismatches)
{
    public bool Equal => SourceRows == TargetRows && Mismatches.Count == 0;
}

/// <summary>
/// Copies an embedded database into PostgreSQL (<c>energymonitor migrate --to postgres</c>): every table but the outbox,
/// which stays local by design. Every row goes in by binary COPY and an upsert on its key, so the copy can be stopped
/// and run again: a rerun writes the same rows and changes nothing, and a meter whose readings already match is
/// skipped. Meter keys are the target's own; readings are mapped by meter id.
/// </summary>
public sealed class EmbeddedMigration(SqliteDatabase source, PostgresDatabase target)
{
    private const int Batch = 50_000;

    private static readonly TableSpec[] Tables =
    [
        new("consumption_intervals", ["meter", "start_ms", "amount", "estimated", "rejected", "flags"], "meter, start_ms", "amount"),
        new("consumption_checkpoints", ["meter", "boundary_ms", "anchor_ms", "anchor_value", "anchor_quality", "run_since_ms", "horizon_ms"], "meter, boundary_ms", null),
        new("rollups", ["series", "period", "start_ms", "amount", "estimated", "rejected", "flags", "intervals"], "series, period, start_ms", "amount"),
        new("indicators", ["institution", "through_ms", "coefficient_set", "document"], "institution, through_ms", null),
        new("quarantine", ["id", "source", "topic", "payload", "reason", "detail", "received_ms"], "id", null),
        new("alerts", ["id", "key", "rule", "subject", "severity", "state", "building", "finding", "opened_ms", "last_seen_ms", "acknowledged_ms", "acknowledged_by", "resolved_ms"], "id", null),
        new("alert_notifications", ["id", "alert_id", "channel", "kind", "created_ms", "attempts", "next_ms", "delivered_ms", "last_error"], "id", null),
        new("report_archive", ["id", "period", "scope", "format", "path", "sha256", "bytes", "generated_ms"], "id", null),

        // People and what they did come along; their sessions do not (everyone signs in again on the new database).
        new("users", ["name", "display_name", "role", "password_hash", "disabled", "failed_attempts", "locked_until_ms", "created_ms", "changed_ms"], "name", null),
        new("audit_log", ["id", "at_ms", "actor", "action", "subject", "detail"], "id", null),
        new("submission_explanations", ["year", "institution", "field", "reason", "by_user", "at_ms"], "year, institution, field", null),
    ];

    /// <summary>Copies everything; <paramref name="progress"/> hears each table's rows as they go.</summary>
    public async Task CopyAsync(IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        await using var sqlite = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var keys = await CopyMetersAsync(sqlite, cancellationToken).ConfigureAwait(false);
        await CopyReadingsAsync(sqlite, keys, progress, cancellationToken).ConfigureAwait(false);
        await CopyChangeMarksAsync(sqlite, keys, cancellationToken).ConfigureAwait(false);
        foreach (var table in Tables)
        {
            await CopyTableAsync(sqlite, table, progress, cancellationToken).ConfigureAwait(false);
        }

        // Ids were copied as they were: the identities go on after the largest.
        await using var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in new[] { "quarantine", "alerts", "alert_notifications", "report_archive", "audit_log" })
        {
            await using var reset = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest((SELECT max(id) FROM {table}), 1), (SELECT max(id) FROM {table}) IS NOT NULL)", connection);
            await reset.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts rows on both sides, and compares readings per meter (count and sum) and rollups per series (sum).</summary>
    public async Task<IReadOnlyList<TableCheck>> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var sqlite = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var pg = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var checks = new List<TableCheck>();
        const string readingsBySeries = "SELECT m.meter_id, count(*), sum(r.value) FROM readings r JOIN meters m ON m.meter_key = r.meter_key GROUP BY m.meter_id";
        checks.Add(await CompareAsync(sqlite, pg, "readings", readingsBySeries, readingsBySeries, cancellationToken).ConfigureAwait(false));
        foreach (var table in Tables)
        {
            var sum = table.Sum ?? "0";
            var bySeries = table.Name == "rollups"
                ? "SELECT series || '/' || period, count(*), sum(amount) FROM rollups GROUP BY series, period"
                : $"SELECT '{table.Name}', count(*), coalesce(sum({sum}), 0) FROM {table.Name}";
            checks.Add(await CompareAsync(sqlite, pg, table.Name, bySeries, bySeries, cancellationToken).ConfigureAwait(false));
        }

        return checks;
    }

    private static async Task<TableCheck> CompareAsync(SqliteConnection sqlite, NpgsqlConnection pg, string table, string sourceSql, string targetSql, CancellationToken cancellationToken)
    {
        var left = new Dictionary<string, (long Rows, double Sum)>(StringComparer.Ordinal);
        await using (var query = sqlite.CreateCommand())
        {
            query.CommandText = sourceSql;
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                left[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? 0 : reader.GetDouble(2));
            }
        }

        var right = new Dictionary<string, (long Rows, double Sum)>(StringComparer.Ordinal);
        await using (var query = new NpgsqlCommand(targetSql, pg))
        {
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                right[reader.GetString(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? 0 : Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture));
            }
        }

        // Sums differ only in the last bits of a double added in another order.
        var mismatches = left.Keys.Union(right.Keys)
            .Where(k => !left.TryGetValue(k, out var l) || !right.TryGetValue(k, out var r) || l.Rows != r.Rows || Math.Abs(l.Sum - r.Sum) > 1e-9 * Math.Max(1, Math.Abs(l.Sum)))
            .Order(StringComparer.Ordinal)
            .Select(k => string.Create(CultureInfo.InvariantCulture,
                $"{k}: {left.GetValueOrDefault(k).Rows} rows (sum {left.GetValueOrDefault(k).Sum:G10}) in the embedded file, {right.GetValueOrDefault(k).Rows} (sum {right.GetValueOrDefault(k).Sum:G10}) in PostgreSQL"))
            .ToList();
        return new TableCheck(table, left.Values.Sum(v => v.Rows), right.Values.Sum(v => v.Rows), left.Values.Sum(v => v.Sum), right.Values.Sum(v => v.Sum), mismatches);
    }

    private async Task<Dictionary<long, int>> CopyMetersAsync(SqliteConnection sqlite, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var query = sqlite.CreateCommand())
        {
            query.CommandText = "SELECT meter_id, meter_key FROM meters";
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await using var pg = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = new NpgsqlCommand(
            "INSERT INTO meters (meter_id) SELECT unnest(@ids) ON CONFLICT (meter_id) DO NOTHING; SELECT meter_id, meter_key FROM meters WHERE meter_id = ANY(@ids)", pg);
        upsert.Parameters.Add(new NpgsqlParameter<string[]>("ids", [.. ids.Keys]));
        var keys = new Dictionary<long, int>();
        await using var rows = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys[ids[rows.GetString(0)]] = rows.GetInt32(1);
            }
        }
        while (await rows.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return keys;
    }

    private async Task CopyReadingsAsync(SqliteConnection sqlite, Dictionary<long, int> keys, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var perMeter = new List<(long Key, long Rows, double Sum)>();
        await using (var query = sqlite.CreateCommand())
        {
            query.CommandText = "SELECT meter_key, count(*), sum(value) FROM readings GROUP BY meter_key ORDER BY meter_key";
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                perMeter.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2)));
            }
        }

        var total = perMeter.Sum(m => m.Rows);
        var done = 0L;
        var store = new PostgresReadingStore(target);
        foreach (var (key, rows, sum) in perMeter)
        {
            // A meter already there whole (an earlier run got past it) is not copied again.
            if (await TargetReadingsAsync(keys[key], cancellationToken).ConfigureAwait(false) is var (have, haveSum) && have == rows && Math.Abs(haveSum - sum) <= 1e-9 * Math.Max(1, Math.Abs(sum)))
            {
                done += rows;
                progress?.Report(new MigrationProgress("readings", done, total));
                continue;
            }

            await using var query = sqlite.CreateCommand();
            query.CommandText = "SELECT ts_ms, value, quality FROM readings WHERE meter_key = $k ORDER BY ts_ms";
            query.Parameters.AddWithValue("$k", key);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var batch = new List<(long, double, int)>(Batch);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                batch.Add((reader.GetInt64(0), reader.GetDouble(1), reader.GetInt32(2)));
                if (batch.Count == Batch)
                {
                    await store.CopyRowsAsync(keys[key], batch, cancellationToken).ConfigureAwait(false);
                    done += batch.Count;
                    progress?.Report(new MigrationProgress("readings", done, total));
                    batch.Clear();
                }
            }

            await store.CopyRowsAsync(keys[key], batch, cancellationToken).ConfigureAwait(false);
            done += batch.Count;
            progress?.Report(new MigrationProgress("readings", done, total));
        }
    }

    private async Task<(long Rows, double Sum)> TargetReadingsAsync(int key, CancellationToken cancellationToken)
    {
        await using var pg = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand("SELECT count(*), coalesce(sum(value), 0) FROM readings WHERE meter_key = @k", pg);
        query.Parameters.Add(new NpgsqlParameter<int>("k", key));
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    private async Task CopyChangeMarksAsync(SqliteConnection sqlite, Dictionary<long, int> keys, CancellationToken cancellationToken)
    {
        var marks = new List<(int Key, long From, long Version)>();
        await using (var query = sqlite.CreateCommand())
        {
            query.CommandText = "SELECT meter_key, from_ms, version FROM reading_changes";
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                marks.Add((keys[reader.GetInt64(0)], reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        await using var pg = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO reading_changes (meter_key, from_ms, version) SELECT * FROM unnest(@k, @f, @v)
            ON CONFLICT (meter_key) DO UPDATE SET from_ms = least(reading_changes.from_ms, excluded.from_ms), version = greatest(reading_changes.version, excluded.version)
            """, pg);
        upsert.Parameters.Add(new NpgsqlParameter<int[]>("k", [.. marks.Select(m => m.Key)]));
        upsert.Parameters.Add(new NpgsqlParameter<long[]>("f", [.. marks.Select(m => m.From)]));
        upsert.Parameters.Add(new NpgsqlParameter<long[]>("v", [.. marks.Select(m => m.Version)]));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyTableAsync(SqliteConnection sqlite, TableSpec table, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        long total;
        await using (var count = sqlite.CreateCommand())
        {
            count.CommandText = $"SELECT count(*) FROM {table.Name}";
            total = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var types = await ColumnTypesAsync(table, cancellationToken).ConfigureAwait(false);
        await using var query = sqlite.CreateCommand();
        query.CommandText = $"SELECT {string.Join(", ", table.Columns)} FROM {table.Name}";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var batch = new List<object?[]>(Batch);
        var done = 0L;
        progress?.Report(new MigrationProgress(table.Name, 0, total));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[table.Columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            batch.Add(row);
            if (batch.Count == Batch)
            {
                await UpsertAsync(table, types, batch, cancellationToken).ConfigureAwait(false);
                done += batch.Count;
                progress?.Report(new MigrationProgress(table.Name, done, total));
                batch.Clear();
            }
        }

        await UpsertAsync(table, types, batch, cancellationToken).ConfigureAwait(false);
        progress?.Report(new MigrationProgress(table.Name, done + batch.Count, total));
    }

    private async Task<NpgsqlDbType[]> ColumnTypesAsync(TableSpec table, CancellationToken cancellationToken)
    {
        await using var pg = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = @t", pg);
        query.Parameters.Add(new NpgsqlParameter<string>("t", table.Name));
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            types[reader.GetString(0)] = reader.GetString(1);
        }

        return [.. table.Columns.Select(c => types[c] switch
        {
            "integer" => NpgsqlDbType.Integer,
            "bigint" => NpgsqlDbType.Bigint,
            "double precision" => NpgsqlDbType.Double,
            "bytea" => NpgsqlDbType.Bytea,
            _ => NpgsqlDbType.Text,
        })];
    }

    private async Task UpsertAsync(TableSpec table, NpgsqlDbType[] types, List<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var columns = string.Join(", ", table.Columns);
        var updates = string.Join(", ", table.Columns.Where(c => !table.Key.Split(", ").Contains(c)).Select(c => $"{c} = excluded.{c}"));
        await using var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE copy_in (LIKE {table.Name}) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY copy_in ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    object value = types[i] switch
                    {
                        NpgsqlDbType.Integer => Convert.ToInt32(row[i], CultureInfo.InvariantCulture),
                        NpgsqlDbType.Bigint => Convert.ToInt64(row[i], CultureInfo.InvariantCulture),
                        NpgsqlDbType.Double => Convert.ToDouble(row[i], CultureInfo.InvariantCulture),
                        NpgsqlDbType.Bytea => (byte[])row[i]!,
                        _ => Convert.ToString(row[i], CultureInfo.InvariantCulture)!,
                    };
                    await copy.WriteAsync(value, types[i], cancellationToken).ConfigureAwait(false);
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var upsert = new NpgsqlCommand(
            $"INSERT INTO {table.Name} ({columns}) SELECT {columns} FROM copy_in ON CONFLICT ({table.Key}) DO UPDATE SET {updates}", connection, transaction))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <param name="Sum">A column whose sum the verification compares, or null for counts alone.</param>
    private sealed record TableSpec(string Name, string[] Columns, string Key, string? Sum);
}
