using System.Collections.Concurrent;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>The embedded readings store: the default, needing no server.</summary>
public sealed class SqliteReadingStore : IReadingStore, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly ConcurrentDictionary<MeterId, long> _meterKeys = new();

    // SQLite allows one writer per file; queuing writers here avoids busy-wait retries inside SQLite.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteReadingStore(SqliteDatabase database) => _database = database;

    public async Task WriteAsync(IReadOnlyCollection<Reading> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return;
        }

        ReadingBatch.EnsureFinite(readings);

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                "INSERT INTO readings (meter_key, ts_ms, value, quality) VALUES ($m, $t, $v, $q) " +
                "ON CONFLICT (meter_key, ts_ms) DO UPDATE SET value = excluded.value, quality = excluded.quality";
            var meterParam = insert.Parameters.Add("$m", SqliteType.Integer);
            var tsParam = insert.Parameters.Add("$t", SqliteType.Integer);
            var valueParam = insert.Parameters.Add("$v", SqliteType.Real);
            var qualityParam = insert.Parameters.Add("$q", SqliteType.Integer);
            insert.Prepare();

            foreach (var reading in readings)
            {
                meterParam.Value = await MeterKeyAsync(connection, transaction, reading.Meter, cancellationToken).ConfigureAwait(false);
                tsParam.Value = reading.Timestamp.ToUnixTimeMilliseconds();
                valueParam.Value = reading.Value;
                qualityParam.Value = (int)reading.Quality;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await ChangeMarks.RaiseAsync(connection, transaction, readings, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A rolled-back transaction may have created meter keys that no longer exist.
            _meterKeys.Clear();
            throw;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<Reading>> ReadAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText =
            "SELECT r.ts_ms, r.value, r.quality FROM readings r JOIN meters m ON m.meter_key = r.meter_key " +
            "WHERE m.meter_id = $id AND r.ts_ms >= $from AND r.ts_ms < $to ORDER BY r.ts_ms";
        query.Parameters.AddWithValue("$id", meter.Value);
        query.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
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
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText =
            "SELECT r.ts_ms, r.value, r.quality FROM readings r JOIN meters m ON m.meter_key = r.meter_key " +
            "WHERE m.meter_id = $id AND r.ts_ms <= $at ORDER BY r.ts_ms DESC LIMIT 1";
        query.Parameters.AddWithValue("$id", meter.Value);
        query.Parameters.AddWithValue("$at", atOrBefore.ToUnixTimeMilliseconds());
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return StoreRows.Reading(reader, meter);
    }

    public async Task<IReadOnlyDictionary<MeterId, long>> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText =
            "SELECT m.meter_id, COUNT(*) FROM readings r JOIN meters m ON m.meter_key = r.meter_key " +
            "WHERE r.ts_ms >= $from AND r.ts_ms < $to GROUP BY m.meter_id";
        query.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        var counts = new Dictionary<MeterId, long>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[new MeterId(reader.GetString(0))] = reader.GetInt64(1);
        }

        return counts;
    }

    public void Dispose() => _writeGate.Dispose();

    private async ValueTask<long> MeterKeyAsync(SqliteConnection connection, SqliteTransaction transaction, MeterId meter, CancellationToken cancellationToken)
    {
        if (_meterKeys.TryGetValue(meter, out var key))
        {
            return key;
        }

        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText =
            "INSERT INTO meters (meter_id) VALUES ($id) ON CONFLICT (meter_id) DO NOTHING; " +
            "SELECT meter_key FROM meters WHERE meter_id = $id";
        upsert.Parameters.AddWithValue("$id", meter.Value);
        key = (long)(await upsert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        _meterKeys[meter] = key;
        return key;
    }
}
