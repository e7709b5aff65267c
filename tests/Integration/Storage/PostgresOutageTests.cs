using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Outbox;
using EnergyMonitor.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>
/// PostgreSQL killed and restarted under a stream of readings, as the service composes it: readings behind the
/// durable outbox on local disk, change marks raised by PostgreSQL in the transaction of its readings.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private readonly PostgresServer _server = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("em-pg-outbox-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _server.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_restart_mid_stream_loses_nothing_stores_nothing_twice_and_raises_the_marks_in_postgres()
    {
        await using var database = await PostgresDatabase.OpenAsync(new PostgresOptions { ConnectionString = await _server.CreateDatabaseAsync() }, Ct);
        var readings = new PostgresReadingStore(database);
        var consumption = new PostgresConsumptionStore(database);
        var local = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(_dir, "outbox.db") }, Ct);
        using var outbox = await DurableOutbox.OpenAsync(local, readings, new OutboxOptions
        {
            BatchSize = 2000,
            BatchDelay = TimeSpan.FromMilliseconds(100),
            RetryBaseDelay = TimeSpan.FromMilliseconds(200),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
        }, TimeProvider.System, new ListLogger(), Ct, remoteRaisesChangeMarks: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatching = outbox.RunAsync(stop.Token);

        // 50 meters, one reading a simulated minute, written in bursts; the server dies in the middle and comes back.
        var t0 = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero); // the stream crosses into December: two partitions
        var written = 0;
        for (var minute = 0; minute < 120; minute++)
        {
            if (minute == 40)
            {
                await _server.KillAsync();
            }

            if (minute == 80)
            {
                await _server.StartAsync();
            }

            var batch = Enumerable.Range(0, 50).Select(m => new Reading(new MeterId($"m{m:D2}"), t0.AddMinutes(minute), minute + (m / 100.0))).ToList();
            await outbox.EnqueueAsync(batch, Ct);
            written += batch.Count;
            await Task.Delay(20, Ct);

            // A few readings come again, as a replayed MQTT message would: last write wins, no second row.
            if (minute % 30 == 0)
            {
                await outbox.EnqueueAsync(batch.Take(5).ToList(), Ct);
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await outbox.StatusAsync(Ct)).Depth > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }

        await stop.CancelAsync();
        await dispatching;
        Assert.True((await outbox.StatusAsync(Ct)).Depth == 0, _server.Output);

        var counts = await readings.CountAsync(t0, t0.AddHours(3), Ct);
        Assert.Equal(50, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(120, c));
        Assert.Equal(written, counts.Values.Sum());
        Assert.Equal(79.07, (await readings.LatestAsync(new MeterId("m07"), t0.AddMinutes(79), Ct))!.Value.Value, 9);
        var marks = await consumption.ChangesAsync(Ct);
        Assert.Equal(50, marks.Count);
        Assert.All(marks, m => Assert.Equal(t0, m.From));
    }
}
