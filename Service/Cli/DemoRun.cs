using System.Globalization;
using System.Text;
using System.Text.Json;
using EnergyMonitor.Analytics.Alerts;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Reports.Jobs;
using EnergyMonitor.Reports.Model;
using EnergyMonitor.Service.Hosting;
using EnergyMonitor.Service.Settings;
using EnergyMonitor.Simulation;
using EnergyMonitor.Simulation.Demo;
using EnergyMonitor.Simulation.MeterBus;
using EnergyMonitor.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

/// <summary>What the demo was asked to do.</summary>
/// <param name="Postgres">A connection string: everything is stored in that (empty) PostgreSQL database; null for the embedded file.</param>
internal sealed record DemoOptions(FileInfo Settings, DirectoryInfo Out, int Days, int Seed, int MqttDays, int LiveSeconds, bool Serve, int Port, TimeProvider Time, string? Postgres = null);

/// <summary>
/// The whole system as a newcomer meets it, in one process and with no server: a county's year of history with
/// planted faults, live collection through the real Modbus and MQTT stacks, the service's jobs, and what each user
/// gets from them (alerts, the assessment, scores, the month's report, the statistical submission), under ./out.
/// </summary>
internal static partial class DemoRun
{
    /// <summary>The demo workspace's first admin: its password is made up for each run and printed with --serve.</summary>
    public const string DemoAdmin = "admin";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(DemoOptions o, TextWriter error, CancellationToken cancellationToken)
    {
        var time = o.Time;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var source = o.Settings.DirectoryName ?? ".";
        var (exampleSettings, example) = ConfigReport.Load(o.Settings, null, error, time);
        if (exampleSettings is null || example is null)
        {
            return ExitCodes.ConfigInvalid;
        }

        var outDir = o.Out.FullName;
        Directory.CreateDirectory(outDir);
        var zone = example.Model.TimeZone;
        var end = RollupPeriods.Start(RollupPeriod.Hour, time.GetUtcNow(), zone);
        var endDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(end, zone).DateTime);
        var from = end.AddDays(-o.Days);
        var calendar = File.Exists(Path.Combine(source, "holidays-cn.csv")) ? EnergyMonitor.Site.HolidayCalendarFile.Load(Path.Combine(source, "holidays-cn.csv")) : Analytics.Anomalies.HolidayCalendar.WeekendsOnly;

        // The workspace: the example configuration, with the mid-year meter exchange recorded where a technician would,
        // and the officer's scorecard entries for the last full year, the year the demo scores and submits.
        var lastYear = endDay.Year - 1;
        DemoWorkspace.CopyConfiguration(source, outDir, lastYear);
        var faults = new List<PlantedFault>();
        var siteText = await File.ReadAllTextAsync(ServiceSettingsLoader.Resolve(o.Settings.FullName, exampleSettings.SiteFile), cancellationToken).ConfigureAwait(false);
        if (example.Model.Meters.FirstOrDefault(m => m.Replacements.Count > 0 && m.Mode == ReadingMode.Cumulative) is { } exchanged && o.Days >= 30)
        {
            var atLocal = endDay.AddDays(-Math.Min(150, o.Days / 2)).ToDateTime(new TimeOnly(14, 15));
            var at = new DateTimeOffset(atLocal, zone.GetUtcOffset(atLocal));
            var oldFinal = OldFinalReading(example.Model, exchanged, from, at, o.Seed, calendar);
            siteText = DemoWorkspace.RecordExchange(siteText, at, oldFinal);
            faults.Add(new PlantedReplacement(exchanged.Id.Value, atLocal));
        }

        siteText = DemoWorkspace.CarryFactsForward(siteText, endDay.Year);
        await File.WriteAllTextAsync(Path.Combine(outDir, "site.yaml"), siteText, cancellationToken).ConfigureAwait(false);
        await using var broker = await EmbeddedBroker.StartAsync(cancellationToken).ConfigureAwait(false);
        var key = ApiKeys.NewKey();
        var adminPassword = Web.Accounts.Passwords.Generate();
        var settingsFile = Path.Combine(outDir, "appsettings.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new
        {
            EnergyMonitor = new
            {
                SiteFile = "site.yaml",
                Storage = o.Postgres is null
                    ? (object)new { Sqlite = new { Path = "data/energymonitor.db", Synchronous = "Normal" } }
                    : new
                    {
                        Kind = "Postgres",
                        Sqlite = new { Path = "data/energymonitor.db", Synchronous = "Normal" },
                        Postgres = new { ConnectionString = o.Postgres, PasswordEnv = Environment.GetEnvironmentVariable("PGPASSWORD") is null ? null : "PGPASSWORD" },
                        Outbox = new { BatchSize = 20000, BatchDelay = "00:00:00.100" },
                    },
                Mqtt = new { Brokers = new[] { new { Name = "demo", Host = "127.0.0.1", Port = broker.Port, ClientId = "energymonitor-demo" } } },
                Http = new { Url = $"http://127.0.0.1:{o.Port}", ApiKeys = new[] { new { Name = "demo-officer", Hash = ApiKeys.Hash(key), Role = "operator" } } },
                Logs = new { Directory = "logs", Level = "Warning" },
            },
        }, Indented), cancellationToken).ConfigureAwait(false);
        var (settings, site) = ConfigReport.Load(new FileInfo(settingsFile), null, error, time);
        if (settings is null || site is null)
        {
            return ExitCodes.ConfigInvalid;
        }

        faults.AddRange(DemoFaults.Plant(site.Model, endDay, o.Days, calendar));
        var config = new CliConfig(settings, site, settingsFile, time);
        var database = Path.Combine(outDir, "data", "energymonitor.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }

        AnsiConsole.MarkupLine($"[bold]EnergyMonitor demo[/]: {Markup.Escape(site.Model.Name)}, {site.Model.Institutions.Count} institutions, {site.Model.Buildings.Count()} buildings, {site.Model.Meters.Count()} meters; workspace [blue]{Markup.Escape(outDir)}[/]");

        try
        {
            ModbusSimulator.CheckPorts(site);
        }
        catch (GatewayPortUnavailableException e)
        {
            return await PortUnavailableAsync(e).ConfigureAwait(false);
        }

        // 1. History with the planted faults, then consumption and rollups.
        AnsiConsole.MarkupLine($"[bold]1/3[/] history: {TimeZoneInfo.ConvertTime(from, zone):yyyy-MM-dd} to {endDay:yyyy-MM-dd} ({o.Days} days), with {faults.Count} planted faults");
        DemoHistoryOutcome history = null!;
        await using (var store = await CliStore.OpenAsync(config, cancellationToken).ConfigureAwait(false))
        {
            if (store.Services.GetService<Storage.Postgres.PostgresDatabase>() is { } postgres && await HoldsReadingsAsync(postgres, cancellationToken).ConfigureAwait(false))
            {
                // The demo's history starts from nothing; written over another site's it would mix the two.
                await error.WriteLineAsync("--postgres: the database already holds meters; the demo needs an empty database (createdb em_demo)").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).StartAsync(async progress =>
            {
                var simulating = progress.AddTask($"simulating {o.Days} days of {site.Model.Meters.Count()} meters", maxValue: (end - from).TotalMinutes);
                ProgressTask? publishing = null;
                history = await new DemoHistory(site.Model, store.Services.GetRequiredService<IReadingStore>(), store.Services.GetRequiredService<IQuarantine>(), time, calendar, faults)
                    .WriteAsync(from, end, end.AddDays(-Math.Min(o.MqttDays, o.Days)), o.Seed, m => simulating.Value = m,
                        (total, done) =>
                        {
                            publishing ??= progress.AddTask($"publishing {total:N0} readings through MQTT", maxValue: total);
                            publishing.Increment(done);
                        }, cancellationToken).ConfigureAwait(false);
                simulating.Value = simulating.MaxValue;

                // On PostgreSQL the readings reach the database through the local outbox: all of them first.
                await store.FinishAsync(TextWriter.Null, cancellationToken).ConfigureAwait(false);
                var rolling = progress.AddTask("consumption and rollups", maxValue: 1);
                await store.Services.GetRequiredService<ConsumptionEngine>().RunPassAsync(new Progress<(int Done, int Total)>(p =>
                {
                    rolling.MaxValue = Math.Max(1, p.Total);
                    rolling.Value = p.Done;
                }), cancellationToken).ConfigureAwait(false);
                rolling.Value = rolling.MaxValue;
            }).ConfigureAwait(false);

            // The workspace's first admin, as `energymonitor user add` makes one on a new server: the console's sign-in.
            await new Web.Accounts.AccountService(store.Services.GetRequiredService<IAccountStore>(), store.Services.GetRequiredService<IAuditLog>(), Web.Accounts.AccountPolicy.From(settings.Http), time)
                .AddAsync("demo", DemoAdmin, "演示管理员", "admin", adminPassword, cancellationToken).ConfigureAwait(false);
        }

        AnsiConsole.MarkupLine($"[bold]2/3[/] live: the service itself for {o.LiveSeconds} s");

        // 2. Live: the service itself, polling the simulated Modbus meters and taking MQTT readings, for a while.
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
        await using var simulator = new ModbusSimulator(site, o.Seed, time, loggers, history.Last);
        await using var meterBus = new MeterBusSimulator(site, o.Seed, time, loggers, history.Last);
        try
        {
            simulator.Start();
            meterBus.Start();
        }
        catch (GatewayPortUnavailableException e)
        {
            return await PortUnavailableAsync(e).ConfigureAwait(false);
        }

        using var simulating = new CancellationTokenSource();
        var simulatorRun = Task.WhenAll(simulator.RunAsync(simulating.Token), meterBus.RunAsync(simulating.Token));
        var liveFrom = time.GetUtcNow();
        settings.Http.Enabled = false;
        await AnsiConsole.Status().StartAsync($"collecting live for {o.LiveSeconds} s through the service's Modbus, DL/T 645 and CJ/T 188 pollers and MQTT ingestor", async _ =>
        {
            using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            live.CancelAfter(TimeSpan.FromSeconds(o.LiveSeconds));
            var service = ServiceHost.RunAsync(settings, site, settingsFile, time, live.Token);
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, o.LiveSeconds / 2.0)), cancellationToken).ConfigureAwait(false);
            await PublishLiveAsync(site.Model, history.Last, broker.Port, o.Seed, calendar, time, cancellationToken).ConfigureAwait(false);
            await service.ConfigureAwait(false);
        }).ConfigureAwait(false);

        // 3. The service's jobs, through the same code: rollups, indicators, the alert pass of each recent morning,
        // the assessment, scores, last month's reports, last year's statistical submission.
        AnsiConsole.MarkupLine($"[bold]3/3[/] the service's jobs: rollups, indicators, alerts, the assessment, the {lastYear} scorecard, last month's reports, the {lastYear} submission");
        var results = new DemoResults();
        await using (var store = await CliStore.OpenAsync(config, cancellationToken).ConfigureAwait(false))
        {
            await store.FinishAsync(TextWriter.Null, cancellationToken).ConfigureAwait(false);
            var services = store.Services;
            var liveCounts = await services.GetRequiredService<IReadingStore>().CountAsync(liveFrom, time.GetUtcNow().AddMinutes(1), cancellationToken).ConfigureAwait(false);
            results.LiveReadings = liveCounts.Values.Sum();
            results.LiveMeters = liveCounts.Count;
            results.Stored = (await services.GetRequiredService<IReadingStore>().CountAsync(from.AddDays(-1), time.GetUtcNow().AddMinutes(1), cancellationToken).ConfigureAwait(false)).Values.Sum();
            await AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn()).StartAsync(async progress =>
            {
                var step = progress.AddTask("rollups, indicators, alerts, assessment, scores, reports, submission", maxValue: 7);
                await services.GetRequiredService<ConsumptionEngine>().RunPassAsync(null, cancellationToken).ConfigureAwait(false);
                step.Increment(1);
                await services.GetRequiredService<DailyIndicators>().RunAsync(RollupPeriods.Start(RollupPeriod.Day, time.GetUtcNow(), zone), cancellationToken).ConfigureAwait(false);
                step.Increment(1);
                var pass = services.GetRequiredService<AnomalyPass>();
                for (var day = endDay.AddDays(-Math.Min(21, o.Days - 1)); day <= endDay; day = day.AddDays(1))
                {
                    // Mornings still to come are not judged: run in the small hours, today's 07:00 pass would find every
                    // meter silent since "now" (a run at 00:30 on 1 January raised every gateway offline).
                    var morning = day.ToDateTime(new TimeOnly(7, 0));
                    var at = new DateTimeOffset(morning, zone.GetUtcOffset(morning));
                    if (at > time.GetUtcNow())
                    {
                        break;
                    }

                    await pass.RunAsync(at, cancellationToken).ConfigureAwait(false);
                }

                await pass.RunAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                step.Increment(1);
                results.Assessments = await AssessAsync(site.Model, services.GetRequiredService<BuildingAssessment>(), endDay, o.Days, cancellationToken).ConfigureAwait(false);
                step.Increment(1);
                var scorecard = services.GetRequiredService<ScorecardSetup>();
                results.ScoreYear = lastYear;
                results.Scores = scorecard.Scheme is { } scheme
                    ? await services.GetRequiredService<InstitutionScores>().ScoreAsync(scheme, lastYear, scorecard.InputsFor(lastYear), null, cancellationToken).ConfigureAwait(false)
                    : [];
                step.Increment(1);
                var lastMonth = new DateOnly(endDay.Year, endDay.Month, 1).AddMonths(-1);
                await services.GetRequiredService<MonthlyReportJob>().RunAsync(new ReportPeriod(PeriodKind.Month, lastMonth.Year, lastMonth.Month), cancellationToken).ConfigureAwait(false);

                step.Increment(1);
                results.Submission = await DemoSubmission.RunAsync(services.GetRequiredService<AnnualSubmissionJob>(), site.Model, lastYear, outDir, cancellationToken).ConfigureAwait(false);
                step.Increment(1);
            }).ConfigureAwait(false);

            var alerts = await services.GetRequiredService<IAlertStore>().ListAsync(new AlertQuery(Limit: 10_000), cancellationToken).ConfigureAwait(false);
            results.Alerts = alerts;
            results.AlertLog = await WriteAlertLogAsync(outDir, site.Model, alerts, cancellationToken).ConfigureAwait(false);
            results.Caught = await DemoFaults.CaughtAsync(site.Model, faults, alerts, services.GetRequiredService<IConsumptionStore>(), from, end, cancellationToken).ConfigureAwait(false);
            results.Reports = await services.GetRequiredService<IReportArchive>().ListAsync(cancellationToken).ConfigureAwait(false);
        }

        DemoPrint.Summary(site.Model, history, results, outDir, o.Port, clock.Elapsed);
        if (!o.Serve)
        {
            await simulating.CancelAsync().ConfigureAwait(false);
            await simulatorRun.ConfigureAwait(false);
            return results.Caught.All(c => c.CaughtBy is not null) ? ExitCodes.Ok : ExitCodes.Failure;
        }

        settings.Http.Enabled = true;
        AnsiConsole.MarkupLine($"\n[bold green]Serving[/] the console on [link]http://127.0.0.1:{o.Port}/[/] — sign in as [bold]{DemoAdmin}[/] with the password [bold]{Markup.Escape(adminPassword)}[/] (admin: add the officers' accounts under 用户管理).");
        AnsiConsole.MarkupLine($"The API answers the key [bold]{Markup.Escape(key)}[/] (operator) in X-Api-Key. Ctrl+C stops.");
        await ServiceHost.RunAsync(settings, site, settingsFile, time, cancellationToken).ConfigureAwait(false);
        await simulating.CancelAsync().ConfigureAwait(false);
        await simulatorRun.ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// What the old register showed when it was taken out: the simulated counter at the last reading before the
    /// exchange, in the meter's own unit, as the technician notes it in the site file.
    /// </summary>
    private static double OldFinalReading(SiteModel site, Meter meter, DateTimeOffset from, DateTimeOffset at, int seed, Analytics.Anomalies.HolidayCalendar calendar)
    {
        var last = new SimulatedSite(site, seed, calendar).Readings(from, at).LastOrDefault(r => r.Meter == meter.Id);
        return last.Value / meter.ToCanonical(1);
    }

    /// <summary>One live reading of each MQTT meter, its counter advanced from the history's last by the simulated rate.</summary>
    private static async Task PublishLiveAsync(SiteModel site, IReadOnlyDictionary<MeterId, Reading> last, int port, int seed, Analytics.Anomalies.HolidayCalendar calendar, TimeProvider time, CancellationToken cancellationToken)
    {
        var profiles = new SimulatedSite(site, seed, calendar);
        var now = time.GetUtcNow();
        var readings = site.Meters.Where(m => m.Source is MqttSource && last.ContainsKey(m.Id))
            .Select(m => (Meter: m, Reading: m.IsGauge
                ? new Reading(m.Id, now, Math.Round(profiles.RatePerHour(m.Id, now), 1), ReadingQuality.Good)
                : new Reading(m.Id, now, last[m.Id].Value + (profiles.RatePerHour(m.Id, now) * (now - last[m.Id].Timestamp).TotalHours), ReadingQuality.Good)))
            .Where(p => p.Meter.RolloverAt is null || p.Reading.Value < p.Meter.ToCanonical(p.Meter.RolloverAt.Value))
            .ToList();
        await SimulatedMqttMeters.PublishAsync(port, readings, _ => { }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<(Building Building, AssessmentReport? Report)>> AssessAsync(SiteModel site, BuildingAssessment assessment, DateOnly end, int days, CancellationToken cancellationToken)
    {
        var result = new List<(Building, AssessmentReport?)>();
        foreach (var building in site.Buildings.Where(b => b.WeatherStation is not null))
        {
            var reporting = new DayRange(end.AddDays(-30), end.AddDays(-1));
            var baseline = new DayRange(end.AddDays(-Math.Min(days - 1, 395)), end.AddDays(-31));
            result.Add((building, baseline.Days < 60 ? null : await assessment.AssessAsync(building.Id, EnergyKind.Electricity, baseline, reporting, cancellationToken).ConfigureAwait(false)));
        }

        return result;
    }

    private static async Task<string> WriteAlertLogAsync(string outDir, SiteModel site, IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("id,opened,severity,rule,state,building,meter,summary\n");
        foreach (var a in alerts.OrderBy(a => a.OpenedAt))
        {
            // Building names reach the summary from site.yaml: every text cell goes through the spreadsheet guard.
            string[] cells = [a.Id.ToString(CultureInfo.InvariantCulture), TimeZoneInfo.ConvertTime(a.OpenedAt, site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                a.Finding.Severity.ToString().ToLowerInvariant(), a.Finding.Rule, a.State.ToString().ToLowerInvariant(), a.Finding.Building ?? "", a.Finding.Meter ?? "", a.Finding.Summary.Zh];
            text.AppendLine(string.Join(',', cells.Select(Reports.Rendering.SpreadsheetCells.Csv)));
        }

        var path = Path.Combine(outDir, "alerts.csv");
        await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), cancellationToken).ConfigureAwait(false);
        return path;
    }

    private static async Task<int> PortUnavailableAsync(GatewayPortUnavailableException e)
    {
        await Console.Error.WriteLineAsync($"demo: {e.Message}").ConfigureAwait(false);
        return ExitCodes.Failure;
    }

    private static async Task<bool> HoldsReadingsAsync(Storage.Postgres.PostgresDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new Npgsql.NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM meters)", connection);
        return (bool)(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

}
