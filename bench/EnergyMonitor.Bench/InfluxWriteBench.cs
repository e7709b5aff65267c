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

        // Direct: the ceiling, since it skips everything the outbox adds (durability, batching, retry). It runs
        // before and after the outbox, into databases of its own, because influxd slows as its data grows.
        var bodies = readings.Chunk(batch).Select(c => string.Concat(c.Select(r => LineProtocol.Point("reading", r, new Dictionary<string, string>()) + "\n"))).ToList();
        using var http = new HttpClient { BaseAddress = url };
        async Task<double> DirectAsync(string database)
        {
            using var create = await http.PostAsync($"/query?q=CREATE%20DATABASE%20{database}", null);
            var watch = Stopwatch.StartNew();
            foreach (var body in bodies)
            {
                using var response = await http.PostAsync($"/write?db={database}&precision=ms", new StringContent(body, Encoding.UTF8, "text/plain"));
                response.EnsureSuccessStatusCode();
            }

            return points / watch.Elapsed.TotalSeconds;
        }

        var directBefore = await DirectAsync("bench_direct_before");
        var stopwatch = Stopwatch.StartNew();

        var dir = Directory.CreateTempSubdirectory("em-bench-outbox-").FullName;
        var remote = new InfluxV1ReadingStore(new InfluxOptions { Url = url, Database = "bench_outbox" });
        await remote.EnsureDatabaseAsync(CancellationToken.None);
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(dir, "outbox.db"), Synchronous = synchronous }, CancellationToken.None);
        using var outbox = await DurableOutbox.OpenAsync(database, remote,
            new OutboxOptions { BatchSize = batch, BatchDelay = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        stopwatch.Restart();
        var dispatcher = outbox.RunAsync(stop.Token);
        var enqueueWatch = Stopwatch.StartNew();
        foreach (var chunk in readings.Chunk(1000))
        {
            await outbox.EnqueueAsync(chunk, CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  enqueue alone took {enqueueWatch.Elapsed.TotalSeconds:F2} s ({points / enqueueWatch.Elapsed.TotalSeconds:N0} readings/s)"));

        while ((await outbox.StatusAsync(CancellationToken.None)).Depth > 0)
        {
            await Task.Delay(10);
        }

        var outboxRate = points / stopwatch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await dispatcher;
        var delivered = (await remote.CountAsync(start, start.AddYears(1), CancellationToken.None)).Values.Sum();
        var directAfter = await DirectAsync("bench_direct_after");
        var directRate = (directBefore + directAfter) / 2;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"direct HttpClient, pre-built line protocol: {directBefore:N0} points/s before, {directAfter:N0} after"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"through the outbox (SQLite synchronous={synchronous}, 1,000 per enqueue, 5,000 per delivery): {outboxRate:N0} points/s, {delivered:N0} delivered"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio to the mean direct rate: {outboxRate / directRate:F2}"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
