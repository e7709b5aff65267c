using System.CommandLine;
using System.Diagnostics;
using EnergyMonitor.Collector.Simulation;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Storage.Embedded;
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
        var command = new Command("demo",
            "Fill an embedded database with simulated readings for every meter of the example site, with daily, weekly and " +
            "seasonal profiles, rollovers and sub-metering, then print a summary. Needs no server.")
        {
            settings, site, database, days, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (_, loaded) = ConfigReport.Load(parse.GetRequiredValue(settings), parse.GetValue(site), parse.InvocationConfiguration.Error, TimeProvider.System);
            if (loaded?.Model is not { } model)
            {
                return ExitCodes.ConfigInvalid;
            }

            var dayCount = parse.GetValue(days);
            if (dayCount is < 1 or > 3660)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--days: expected 1 to 3660").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await RunAsync(model, parse.GetRequiredValue(database), dayCount, parse.GetValue(seed), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task RunAsync(SiteModel site, FileInfo databaseFile, int days, int seed, TimeProvider time, CancellationToken cancellationToken)
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
        var today = TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone).Date;
        var to = new DateTimeOffset(today, site.TimeZone.GetUtcOffset(today));
        var from = to.AddDays(-days);
        var simulation = new SimulatedSite(site, seed);

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
        }).ConfigureAwait(false);

        var counts = await store.CountAsync(from, to, cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        DemoSummary.Print(site, from, to, counts, last, simulation.Used);
        AnsiConsole.MarkupLine(
            $"[green]wrote {written:N0} readings[/] ({counts.Values.Sum():N0} stored) for {counts.Count} meters into [blue]{Markup.Escape(database.FilePath)}[/] " +
            $"in {stopwatch.Elapsed.TotalSeconds:F1} s ({written / stopwatch.Elapsed.TotalSeconds:N0} readings/s)");
    }
}
