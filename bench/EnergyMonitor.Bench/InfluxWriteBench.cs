using System.Diagnostics;
using System.Globalization;
using System.Text;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Bench;

/// <summary>
/// Sustained write rate into a running influxd: through the durable outbox (enqueue to SQLite, deliver batches
/// of 5,000) against HttpClient posting the same points as pre-built line protocol, in the same run.
/// </summary>
internal static class InfluxWriteBench
{
    public static async Task RunAsync(Uri url, int points, SqliteSynchronous synchronous)
    {
        const int batch = 5000;
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var readings = Enumerable.Range(0, points).Select(i => new Reading(new MeterId($"meter-{i % 100:D3}"), start.AddSeconds(i / 100), i * 0.5)).ToList();

        // Direct: the ceiling, since it skips everything the outbox adds (durability, batching, retry).
        var direct = new InfluxV1ReadingStore(new InfluxOptions { Url = url, Database = "bench_direct" });
        await direct.EnsureDatabaseAsync(CancellationToken.None);
        var bodies = readings.Chunk(batch).Select(c => string.Concat(c.Select(r => LineProtocol.Point("reading", r, new Dictionary<string, string>()) + "\n"))).ToList();
        using var http = new HttpClient { BaseAddress = url };
        var stopwatch = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            using var response = await http.PostAsync("/write?db=bench_direct&precision=ms", new StringContent(body, Encoding.UTF8, "text/plain"));
            response.EnsureSuccessStatusCode();
        }

        var directRate = points / stopwatch.Elapsed.TotalSeconds;

        var dir = Directory.CreateTempSubdirectory("em-bench-outbox-").FullName;
        var remote = new InfluxV1ReadingStore(new InfluxOptions { Url = url, Database = "bench_outbox" });
        await remote.EnsureDatabaseAsync(CancellationToken.None);
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(dir, "outbox.db"), Synchronous = synchronous }, CancellationToken.None);
        using var outbox = await DurableOutbox.OpenAsync(database, remote,
            new OutboxOptions { BatchSize = batch, BatchDelay = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        stopwatch.Restart();
        var dispatcher = outbox.RunAsync(stop.Token);
        foreach (var chunk in readings.Chunk(1000))
        {
            await outbox.EnqueueAsync(chunk, CancellationToken.None);
        }

        while ((await outbox.StatusAsync(CancellationToken.None)).Depth > 0)
        {
            await Task.Delay(10);
        }

        var outboxRate = points / stopwatch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await dispatcher;
        var delivered = (await remote.CountAsync(start, start.AddYears(1), CancellationToken.None)).Values.Sum();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"direct HttpClient, pre-built line protocol: {directRate:N0} points/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"through the outbox (SQLite synchronous={synchronous}, 1,000 per enqueue, 5,000 per delivery): {outboxRate:N0} points/s, {delivered:N0} delivered"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: {outboxRate / directRate:F2}"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
