using System.CommandLine;
using System.Globalization;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Indicators;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

internal static class RollupCommand
{
    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var from = new Option<string?>("--from") { Description = "First local day to recompute, yyyy-MM-dd. Without it, only meters with new readings are brought up to date." };
        var to = new Option<string?>("--to") { Description = "Local day to stop before, yyyy-MM-dd. Without it, up to the newest reading." };
        var command = new Command("rollup",
            "Turn meter readings into 15-minute consumption and hourly, daily and monthly rollups per meter, building, institution, region, " +
            "energy kind and item code, and each institution's indicators to the start of today. Without --from, does what the scheduled jobs do; with it, recomputes history (after an import or a " +
            "change to a meter's rollover, replacements or multiplier). Running it twice changes nothing.")
        {
            settings, site, from, to,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var zone = config.Site.Model.TimeZone;
            if (!TryDay(parse.GetValue(from), zone, "--from", error, out var start) || !TryDay(parse.GetValue(to), zone, "--to", error, out var end))
            {
                return ExitCodes.ConfigInvalid;
            }

            if (start is { } s && end is { } e && e <= s)
            {
                await error.WriteLineAsync("--to: expected a day after --from").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var engine = store.Services.GetRequiredService<ConsumptionEngine>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            PassSummary? summary = null;
            await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
            {
                var task = progress.AddTask(start is null ? "bringing consumption up to date" : $"recomputing from {parse.GetValue(from)}", maxValue: 1);
                var report = new Progress<(int Done, int Total)>(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                });
                summary = start is { } f
                    ? await engine.BackfillAsync(f, end, report, ct).ConfigureAwait(false)
                    : await engine.RunPassAsync(report, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);

            // The officer's indicators follow the rollups, as the nightly job would compute them: through the start of today.
            var through = Analytics.Rollups.RollupPeriods.Start(Core.Domain.RollupPeriod.Day, time.GetUtcNow(), zone);
            var indicators = await store.Services.GetRequiredService<DailyIndicators>().RunAsync(through, ct).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"{summary!.Meters} meters, {summary.Intervals:N0} intervals, {summary.Groups} group series, indicators of {indicators.Count} institutions in {clock.Elapsed.TotalSeconds:F1} s");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool TryDay(string? text, TimeZoneInfo zone, string option, TextWriter error, out DateTimeOffset? day)
    {
        day = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            error.WriteLine($"{option}: \"{text}\": expected a day as yyyy-MM-dd, in the site's time zone ({zone.Id})");
            return false;
        }

        day = Analytics.Rollups.RollupPeriods.Local(date, zone);
        return true;
    }
}
