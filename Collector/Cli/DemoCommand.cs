using System.CommandLine;
using System.Diagnostics;
using EnergyMonitor.Collector.Mqtt;
using EnergyMonitor.Collector.Pipeline;
using EnergyMonitor.Collector.Simulation;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace EnergyMonitor.Collector.Cli;

internal static class DemoCommand
{
    private const int BatchSize = 50_000;

    public static Command Create()
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var database = new Option<FileInfo>("--db")
        {
            Description = "The embedded database the demo fills. It is replaced if it exists. Default: data/demo.db.",
            DefaultValueFactory = _ => new FileInfo("data/demo.db"),
        };
        var days = new Option<int>("--days")
        {
            Description = "How many days of 15-minute readings to simulate, ending at today's local midnight.",
            DefaultValueFactory = _ => 365,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the simulated noise; the same seed gives the same readings.",
            DefaultValueFactory = _ => 2025,
        };
        var mqttDays = new Option<int>("--mqtt-days")
        {
            Description = "How many of the last days the MQTT-bound meters (water, gas, heat) publish through the embedded broker; " +
                "their earlier history is written directly, as an import of the devices' logs would.",
            DefaultValueFactory = _ => 7,
        };
        var command = new Command("demo",
            "Fill an embedded database with simulated readings for every meter of the example site, with daily, weekly and " +
            "seasonal profiles, rollovers and sub-metering, then print a summary. Needs no server.")
        {
            settings, site, database, days, seed, mqttDays,
        };
        command.SetSiteAction(settings, site, async (parse, loaded, cancellationToken) =>
        {
            var dayCount = parse.GetValue(days);
            if (dayCount is < 1 or > 3660)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--days: expected 1 to 3660").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await RunAsync(loaded.Model, parse.GetRequiredValue(database), dayCount, parse.GetValue(seed), Math.Clamp(parse.GetValue(mqttDays), 0, dayCount), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task RunAsync(SiteModel site, FileInfo databaseFile, int days, int seed, int mqttDays, TimeProvider time, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(databaseFile.DirectoryName!);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(databaseFile.FullName + suffix);
        }

        // The demo can re-create its data at will, so it trades power-cut durability for speed.
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = databaseFile.FullName, Synchronous = SqliteSynchronous.Normal }, cancellationToken).ConfigureAwait(false);
        using var store = new SqliteReadingStore(database);
        var to = Analytics.Rollups.RollupPeriods.Start(RollupPeriod.Day, time.GetUtcNow(), site.TimeZone);
        var from = to.AddDays(-days);
        var simulation = new SimulatedSite(site, seed);

        // Meters bound to MQTT topics (with a device timestamp) publish through an embedded broker and reach the
        // store through the real ingestor; the rest are written directly, as a Modbus poll would write them.
        var viaMqtt = site.Meters.Where(m => m.Source is MqttSource { Timestamp: not null }).ToDictionary(m => m.Id);
        var liveFrom = to.AddDays(-mqttDays);
        var published = new List<(Meter Meter, Reading Reading)>();
        var written = 0L;
        var first = new Dictionary<MeterId, Reading>();
        var last = new Dictionary<MeterId, Reading>();
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var task = progress.AddTask($"simulating {days} days for {site.Meters.Count()} meters", maxValue: (to - from).TotalMinutes);
            var batch = new List<Reading>(BatchSize);
            foreach (var reading in simulation.Readings(from, to))
            {
                first.TryAdd(reading.Meter, reading);
                last[reading.Meter] = reading;
                if (reading.Timestamp >= liveFrom && viaMqtt.TryGetValue(reading.Meter, out var meter))
                {
                    published.Add((meter, reading));
                    continue;
                }

                batch.Add(reading);
                if (batch.Count == BatchSize)
                {
                    await store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    written += batch.Count;
                    task.Value = (reading.Timestamp - from).TotalMinutes;
                    batch.Clear();
                }
            }

            await store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            written += batch.Count;
            task.Value = task.MaxValue;

            if (published.Count > 0)
            {
                var mqtt = progress.AddTask($"publishing {published.Count:N0} readings of {viaMqtt.Count} meters through the embedded MQTT broker", maxValue: published.Count);
                written += await PublishThroughBrokerAsync(site, database, store, published, to - liveFrom, n => mqtt.Increment(n), time, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        if (published.Count > 0)
        {
            AnsiConsole.MarkupLine($"{published.Count:N0} readings of {viaMqtt.Count} meters ({Markup.Escape(string.Join(", ", viaMqtt.Keys))}) arrived through the embedded MQTT broker and the MQTT ingestor");
        }

        var counts = await store.CountAsync(from, to, cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        DemoSummary.Print(site, from, to, counts, last, simulation.Used);
        AnsiConsole.MarkupLine(
            $"[green]wrote {written:N0} readings[/] ({counts.Values.Sum():N0} stored) for {counts.Count} meters into [blue]{Markup.Escape(database.FilePath)}[/] " +
            $"in {stopwatch.Elapsed.TotalSeconds:F1} s ({written / stopwatch.Elapsed.TotalSeconds:N0} readings/s)");
    }

    /// <summary>Starts the broker and an ingestor on it, publishes, and waits until every reading is stored.</summary>
    private static async Task<long> PublishThroughBrokerAsync(SiteModel site, SqliteDatabase database, SqliteReadingStore store, List<(Meter Meter, Reading Reading)> readings,
        TimeSpan span, Action<int> progress, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var broker = await EmbeddedBroker.StartAsync(cancellationToken).ConfigureAwait(false);

        // The published days are history by now, so the late-data window covers them.
        var limits = PayloadLimits.Default with { LateWindow = span + TimeSpan.FromDays(2) };
        var quarantine = new QuarantineStore(database);
        var options = new MqttBrokerOptions { Name = "demo", Host = "127.0.0.1", Port = broker.Port, ClientId = "energymonitor-demo" };
        await using var ingestor = new MqttIngestor(options, new MessageMapper(site, [], limits), new StoreSampleSink(new SampleNormalizer(site), store), quarantine, time, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = ingestor.RunAsync(stop.Token);
        while (!ingestor.IsReady)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        await SimulatedMqttMeters.PublishAsync(broker.Port, readings, progress, cancellationToken).ConfigureAwait(false);
        var seen = (Count: -1L, At: time.GetTimestamp());
        while (ingestor.Stored + ingestor.Quarantined.Values.Sum() is var done && done < readings.Count)
        {
            if (done != seen.Count)
            {
                seen = (done, time.GetTimestamp());
            }
            else if (time.GetElapsedTime(seen.At) > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"the embedded broker delivered {done:N0} of {readings.Count:N0} readings and then nothing for 30 s");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        if (ingestor.Quarantined.Count > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{ingestor.Quarantined.Values.Sum()} MQTT messages quarantined[/]: {Markup.Escape(string.Join(", ", ingestor.Quarantined.Select(q => $"{q.Key} {q.Value}")))} (energymonitor quarantine list)");
        }

        return ingestor.Stored;
    }
}
