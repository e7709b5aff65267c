using System.CommandLine;
using System.Diagnostics;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Simulation;
using EnergyMonitor.Storage.Embedded;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

internal static class DemoCommand
{
    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var output = new Option<DirectoryInfo>("--out") { Description = "The workspace: configuration, database, reports, submission, alert log.", DefaultValueFactory = _ => new DirectoryInfo("out") };
        var days = new Option<int?>("--days")
        {
            Description = "Days of history to simulate before the live minute (30 to 3660). Default: from 1 January of the year before the last " +
                "full one, so that the last full year is complete for its submission and scorecard, and has a year to compare with.",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated noise; the same seed gives the same readings.", DefaultValueFactory = _ => 2025 };
        var mqttDays = new Option<int>("--mqtt-days") { Description = "Days of the MQTT meters' history that go through the embedded broker.", DefaultValueFactory = _ => 7 };
        var live = new Option<int>("--live") { Description = "Seconds of live collection through the service's Modbus pollers and MQTT ingestor.", DefaultValueFactory = _ => 15 };
        var serve = new Option<bool>("--serve") { Description = "Afterwards, run the service with the web console and API until Ctrl+C." };
        var port = new Option<int>("--port") { Description = "The console's port with --serve (on 127.0.0.1).", DefaultValueFactory = _ => 5080 };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "Store everything in this empty PostgreSQL database instead of the embedded file: an Npgsql connection string without its " +
                "password, which comes from PGPASSWORD (e.g. \"Host=127.0.0.1;Database=em_demo;Username=energymonitor\").",
        };
        var command = new Command("demo",
            "The whole system in one process, with no server: a county's year of history with planted faults (a night leak, a stuck meter, air-conditioning " +
            "left on over a weekend, a gateway offline, a meter exchanged, a register rollover, a garbage reading), live collection through the real Modbus " +
            "and MQTT stacks, then the service's jobs: rollups, indicators, alerts, the assessment, scores, last month's report and last year's statistical " +
            "submission. Prints what caught each fault and writes everything under --out; --serve then serves the web console.")
        {
            settings, output, days, seed, mqttDays, live, serve, port, postgres, History(time),
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dayCount = parse.GetValue(days) ?? DefaultDays(time);
            if (dayCount is < 30 or > 3660)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--days: expected 30 to 3660").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            return await DemoRun.RunAsync(new DemoOptions(parse.GetRequiredValue(settings), parse.GetRequiredValue(output), dayCount, parse.GetValue(seed),
                parse.GetValue(mqttDays), Math.Clamp(parse.GetValue(live), 1, 3600), parse.GetValue(serve), parse.GetValue(port), time, parse.GetValue(postgres)), parse.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// Days from 1 January of the year before last (example site's time zone, Asia/Shanghai) to today: on 2 December
    /// 2026, from 1 January 2024, so that 2025 (submitted and scored) and 2024 (its comparison) are whole.
    /// </summary>
    internal static int DefaultDays(TimeProvider time)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        return today.DayNumber - new DateOnly(today.Year - 2, 1, 1).DayNumber;
    }

    /// <summary><c>demo history</c>: only the simulated readings, into a database of your choice (for tests and benchmarks).</summary>
    private static Command History(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var database = new Option<FileInfo>("--db")
        {
            Description = "The embedded database to fill. It is replaced if it exists. Default: data/demo.db.",
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
        var command = new Command("history",
            "Fill an embedded database with simulated readings for every meter of the example site, with daily, weekly and " +
            "seasonal profiles, rollovers and sub-metering, then print a summary. Needs no server.")
        {
            settings, site, database, days, seed, mqttDays,
        };
        command.SetSiteAction(settings, site, time, async (parse, loaded, cancellationToken) =>
        {
            var dayCount = parse.GetValue(days);
            if (dayCount is < 1 or > 3660)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--days: expected 1 to 3660").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            // The simulated offices rest on the holidays and work the 调休 Saturdays of the calendar beside the settings.
            var holidays = Path.Combine(parse.GetRequiredValue(settings).DirectoryName ?? ".", "holidays-cn.csv");
            var calendar = File.Exists(holidays) ? EnergyMonitor.Site.HolidayCalendarFile.Load(holidays) : Analytics.Anomalies.HolidayCalendar.WeekendsOnly;
            await RunAsync(loaded.Model, parse.GetRequiredValue(database), dayCount, parse.GetValue(seed), Math.Clamp(parse.GetValue(mqttDays), 0, dayCount), calendar, time, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task RunAsync(SiteModel site, FileInfo databaseFile, int days, int seed, int mqttDays, Analytics.Anomalies.HolidayCalendar calendar, TimeProvider time, CancellationToken cancellationToken)
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
        var faults = PlantedFaults(site, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, site.TimeZone).DateTime), days);
        DemoHistoryOutcome? outcome = null;
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var simulating = progress.AddTask($"simulating {days} days for {site.Meters.Count()} meters", maxValue: (to - from).TotalMinutes);
            ProgressTask? publishing = null;
            outcome = await new DemoHistory(site, store, new QuarantineStore(database), time, calendar, faults).WriteAsync(from, to, to.AddDays(-mqttDays), seed,
                minutes => simulating.Value = minutes,
                (total, done) =>
                {
                    publishing ??= progress.AddTask($"publishing {total:N0} readings through the embedded MQTT broker", maxValue: total);
                    publishing.Increment(done);
                },
                cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        if (outcome!.Published > 0)
        {
            AnsiConsole.MarkupLine($"{outcome.Published:N0} readings of {outcome.MqttMeters.Count} meters ({Markup.Escape(string.Join(", ", outcome.MqttMeters))}) arrived through the embedded MQTT broker and the MQTT ingestor");
        }

        if (outcome.Quarantined.Count > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{outcome.Quarantined.Values.Sum()} MQTT messages quarantined[/]: {Markup.Escape(string.Join(", ", outcome.Quarantined.Select(q => $"{q.Key} {q.Value}")))} (energymonitor quarantine list)");
        }

        var counts = await store.CountAsync(from, to, cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        DemoSummary.Print(site, from, to, counts, outcome.Last, outcome.Used);
        foreach (var fault in faults)
        {
            AnsiConsole.MarkupLine($"planted: {Markup.Escape(fault.Description)} (energymonitor alerts check --at … finds it)");
        }

        AnsiConsole.MarkupLine(
            $"[green]wrote {outcome.Written:N0} readings[/] ({counts.Values.Sum():N0} stored) for {counts.Count} meters into [blue]{Markup.Escape(database.FilePath)}[/] " +
            $"in {stopwatch.Elapsed.TotalSeconds:F1} s ({outcome.Written / stopwatch.Elapsed.TotalSeconds:N0} readings/s)");
    }

    /// <summary>
    /// The faults planted in the history, placed from its end so that the alert pass of a recent morning meets them:
    /// a leak on the main building's water meter, 12 days before the end, for 5 days, then mended.
    /// </summary>
    private static IReadOnlyList<PlantedFault> PlantedFaults(SiteModel site, DateOnly end, int days)
    {
        var water = site.Meters.FirstOrDefault(m => m.Kind == EnergyKind.Water && m.Parent is null);
        return water is null || days < 45 ? [] : [new PlantedLeak(water.Id.Value, end.AddDays(-12), 5, 0.25)];
    }
}
