using System.CommandLine;
using System.Text;
using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Service.Settings;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

internal static class QuarantineCommand
{
    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var list = new Command("list", "Show every quarantined message: when, where from, the reason, and the start of the payload.") { settings, site };
        list.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var database = await SqliteDatabase.OpenAsync(config.Settings.Storage.Sqlite, ct).ConfigureAwait(false);
            var messages = await new QuarantineStore(database).ListAsync(ct).ConfigureAwait(false);
            var table = new Table().AddColumns("Id", "Received (UTC)", "Source", "Topic", "Reason", "Detail", "Payload");
            foreach (var m in messages)
            {
                var text = Encoding.UTF8.GetString(m.Payload);
                table.AddRow(m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Received.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(m.Source), Markup.Escape(m.Topic), m.Reason.ToString(), Markup.Escape(m.Detail), Markup.Escape(text.Length > 60 ? text[..60] + "…" : text));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{messages.Count} messages in quarantine");
            return ExitCodes.Ok;
        });
        return new Command("quarantine", "Messages that could not become readings (malformed, unknown meter, impossible time …), kept with the reason.") { list, Replay(time) };
    }

    private static Command Replay(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var reason = new Option<QuarantineReason?>("--reason")
        {
            Description = "Replay only messages quarantined for this reason (e.g. UnknownMeter, UnmatchedTopic, or CounterBackwards from an " +
                "older version, which are now stored and judged by the consumption calculator).",
        };
        reason.AcceptOnlyFromAmong([.. Enum.GetNames<QuarantineReason>()]);
        var command = new Command("replay",
            "Run quarantined MQTT messages through the current configuration again (after adding a meter or fixing a mapping). " +
            "Messages that now map are stored and leave the quarantine; the rest stay, with the reason they fail now.")
        {
            settings, site, reason,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var onlyReason = parse.GetValue(reason);
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var quarantine = store.Services.GetRequiredService<IQuarantine>();
            var messages = await quarantine.ListAsync(ct, onlyReason).ConfigureAwait(false);
            var mappers = MqttBrokers.Brokers(config.Settings, config.Site.Model, config.SettingsFile).ToDictionary(b => b.Options.Name, b => b.Mapper, StringComparer.Ordinal);
            var sink = store.Services.GetRequiredService<ISampleSink>();
            var outcome = await new QuarantineReplay(mappers, sink, quarantine).ReplayAsync(messages, ct).ConfigureAwait(false);
            await store.FinishAsync(output, ct).ConfigureAwait(false);

            await output.WriteLineAsync($"replayed {outcome.Replayed} of {messages.Count} messages into {outcome.Readings} readings").ConfigureAwait(false);
            foreach (var (why, count) in outcome.StillFailing.OrderByDescending(f => f.Value))
            {
                await output.WriteLineAsync($"still quarantined: {count} × {why}").ConfigureAwait(false);
            }

            foreach (var source in outcome.UnknownSources)
            {
                await output.WriteLineAsync($"left alone: messages from \"{source}\", which is not a broker in {Path.GetFileName(config.SettingsFile)}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
