using System.CommandLine;
using System.Text;
using EnergyMonitor.Storage.Embedded;
using Spectre.Console;

namespace EnergyMonitor.Collector.Cli;

internal static class QuarantineCommand
{
    public static Command Create()
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var list = new Command("list", "Show every quarantined message: when, where from, the reason, and the start of the payload.") { settings, site };
        list.SetAction(async (parse, ct) =>
        {
            var (loadedSettings, _) = ConfigReport.Load(parse.GetRequiredValue(settings), parse.GetValue(site), parse.InvocationConfiguration.Error, TimeProvider.System);
            if (loadedSettings is null)
            {
                return ExitCodes.ConfigInvalid;
            }

            var database = await SqliteDatabase.OpenAsync(loadedSettings.Storage.Sqlite, ct).ConfigureAwait(false);
            var messages = await new QuarantineStore(database).ListAsync(ct).ConfigureAwait(false);
            var table = new Table().AddColumns("Id", "Received (UTC)", "Source", "Topic", "Reason", "Detail", "Payload");
            foreach (var m in messages)
            {
                var text = Encoding.UTF8.GetString(m.Payload);
                table.AddRow(m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Received.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(m.Source), Markup.Escape(m.Topic), m.Reason, Markup.Escape(m.Detail), Markup.Escape(text.Length > 60 ? text[..60] + "…" : text));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{messages.Count} messages in quarantine");
            return ExitCodes.Ok;
        });
        return new Command("quarantine", "Messages that could not become readings (malformed, unknown meter, impossible time …), kept with the reason.") { list };
    }
}
