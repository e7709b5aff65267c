using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EnergyMonitor.Analytics.Alerts;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Notifications;
using EnergyMonitor.Service.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Service.Cli;

/// <summary><c>alerts list|ack|check|deliver</c>: what building managers and operators do with alerts at a terminal.</summary>
internal static class AlertCommands
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(TimeProvider time)
    {
        var root = new Command("alerts", "Anomaly alerts: list them, acknowledge one, run the anomaly pass now, or deliver what the channels owe.");
        root.Add(List(time));
        root.Add(Ack(time));
        root.Add(Check(time));
        root.Add(Deliver(time));
        return root;
    }

    private static Command List(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var open = new Option<bool>("--open") { Description = "Only alerts not yet resolved (open or acknowledged)." };
        var building = new Option<string?>("--building") { Description = "Only alerts of this building id." };
        var format = new Option<string>("--format") { Description = "text or json (see docs/ALERTS.md).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var lang = new Option<string?>("--lang") { Description = "zh or en; default the Alerts:Language setting." };
        lang.AcceptOnlyFromAmong([.. Language.Codes]);
        var command = new Command("list", "Alerts, unresolved first, then by severity and time.") { settings, site, open, building, format, lang };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var alerts = await store.Services.GetRequiredService<IAlertStore>().ListAsync(new AlertQuery(parse.GetValue(open), parse.GetValue(building)), ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetRequiredValue(format) == "json")
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(alerts.Select(a => Json(a)), JsonOptions)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var language = Language.Parse(parse.GetValue(lang) ?? config.Settings.Alerts.Language);
            var zone = config.Site.Model.TimeZone;
            if (alerts.Count == 0)
            {
                await output.WriteLineAsync(AlertWords.NoAlerts.In(language)).ConfigureAwait(false);
            }

            foreach (var a in alerts)
            {
                var opened = TimeZoneInfo.ConvertTime(a.OpenedAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                var state = AlertWords.State(a.State, a.AcknowledgedBy).In(language);
                await output.WriteLineAsync($"#{a.Id,-5} {a.Finding.Severity,-8} {opened}  {a.Finding.Summary.In(language)}  [{state}; {a.Finding.Rule}]").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static object Json(Alert a) => new
    {
        id = a.Id,
        rule = a.Finding.Rule,
        subject = a.Finding.Subject,
        severity = a.Finding.Severity.ToString().ToLowerInvariant(),
        state = a.State.ToString().ToLowerInvariant(),
        meter = a.Finding.Meter,
        building = a.Finding.Building,
        institution = a.Finding.Institution,
        since = a.Finding.Since,
        openedAt = a.OpenedAt,
        lastSeenAt = a.LastSeenAt,
        acknowledgedAt = a.AcknowledgedAt,
        acknowledgedBy = a.AcknowledgedBy,
        resolvedAt = a.ResolvedAt,
        evidence = a.Finding.Evidence.Select(e => new { name = e.Name.En, label = new { zh = e.Name.Zh, en = e.Name.En }, value = e.Value, unit = e.Unit, expected = e.Expected }),
        summary = new { zh = a.Finding.Summary.Zh, en = a.Finding.Summary.En },
        action = new { zh = a.Finding.Action.Zh, en = a.Finding.Action.En },
    };

    private static Command Ack(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var id = new Argument<long>("id") { Description = "The alert's number, as alerts list shows it." };
        var by = new Option<string>("--by") { Description = "Who takes the alert on (name or duty role).", Required = true };
        var command = new Command("ack", "Acknowledge an alert: someone has it in hand. It stays until its condition clears, and notifies nobody again meanwhile.") { settings, site, id, by };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var who = parse.GetRequiredValue(by).Trim();
            if (who.Length == 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--by: expected a name").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var alerts = store.Services.GetRequiredService<IAlertStore>();
            var number = parse.GetValue(id);
            if (await alerts.AcknowledgeAsync(number, who, time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync($"alert #{number} acknowledged by {who}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var existing = await alerts.GetAsync(number, ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Error.WriteLineAsync(existing is null ? $"no alert #{number}" : $"alert #{number} is already resolved").ConfigureAwait(false);
            return ExitCodes.Failure;
        });
        return command;
    }

    private static Command Check(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var at = new Option<string?>("--at") { Description = "Judge as of this local time (yyyy-MM-ddTHH:mm), e.g. to replay history; default now." };
        var command = new Command("check", "Run the anomaly pass now, as the service does after each rollup: raise, refresh and resolve alerts, queueing their notifications.") { settings, site, at };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var asOf = time.GetUtcNow();
            if (parse.GetValue(at) is { } text)
            {
                if (!DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("--at: expected yyyy-MM-ddTHH:mm").ConfigureAwait(false);
                    return ExitCodes.ConfigInvalid;
                }

                asOf = Analytics.Rollups.RollupPeriods.Local(local, config.Site.Model.TimeZone);
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var s = await store.Services.GetRequiredService<AnomalyPass>().RunAsync(asOf, ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"{s.Findings} findings: {s.Raised} raised, {s.Reopened} reopened, {s.Resolved} resolved, {s.Refreshed} still open ({s.Elapsed.TotalMilliseconds:N0} ms)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Deliver(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var command = new Command("deliver", "Send what each channel owes now, once, within its rate (the service does this continuously).") { settings, site };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var http = store.Services.GetRequiredService<IHttpClientFactory>().CreateClient(AlertChannels.HttpClientName);
            var channels = AlertChannels.Build(config.Settings, config.Site.Model, config.SettingsFile, http, time);
            var statuses = new ChannelStatuses();
            var dispatcher = new AlertDispatcher(store.Services.GetRequiredService<IAlertStore>(), channels, statuses, time, NullLogger.Instance);
            var failed = false;
            foreach (var channel in channels)
            {
                var settled = await dispatcher.DeliverDueAsync(channel, new TokenBucket(channel.PerMinute, time), ct).ConfigureAwait(false);
                var status = statuses.Of(channel.Name);
                failed |= status.ConsecutiveFailures > 0;
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{channel.Name}: {settled} delivered{(status.LastError is { } e ? $"; failed: {e}" : "")}").ConfigureAwait(false);
                await channel.DisposeAsync().ConfigureAwait(false);
            }

            return failed ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
