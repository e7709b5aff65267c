using System.CommandLine;
using System.Diagnostics;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Jobs;
using EnergyMonitor.Reports.Model;
using EnergyMonitor.Reports.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

/// <summary><c>report</c>: a consumption report for a period and scope, from the rollups, in the formats asked for.</summary>
internal static class ReportCommand
{

    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var period = new Option<string>("--period") { Description = "A month (2025-10), a quarter (2025-Q3) or a year (2025).", Required = true };
        var scope = new Option<string>("--scope") { Description = "building:ID, institution:ID or region.", DefaultValueFactory = _ => "region" };
        var format = new Option<string>("--format") { Description = "Comma-separated: html, pdf, xlsx, csv.", DefaultValueFactory = _ => "html,pdf" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the files go.", DefaultValueFactory = _ => new DirectoryInfo("out") };
        var lang = new Option<string>("--lang") { Description = "zh (简体中文, default) or en.", DefaultValueFactory = _ => "zh" };
        lang.AcceptOnlyFromAmong([.. Language.Codes]);
        var command = new Command("report",
            "A monthly, quarterly or annual consumption report of a building, an institution or the region, from the rollups: totals by kind in natural " +
            "units, kgce, tce and CO2, the 分类/分项 tree, indicators with year-on-year and period-on-period changes, data completeness, the period's alerts, " +
            "the coefficient set used, and charts; as self-contained HTML, PDF (CJK font embedded), XLSX and CSV.")
        {
            settings, site, period, scope, format, output, lang,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var model = config.Site.Model;
            if (!ReportPeriod.TryParse(parse.GetRequiredValue(period), out var p))
            {
                await error.WriteLineAsync($"--period: \"{parse.GetRequiredValue(period)}\": expected a month (2025-10), a quarter (2025-Q3) or a year (2025)").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            if (!ReportScope.TryParse(parse.GetRequiredValue(scope), model.Region.Code, out var s)
                || (s.Level == SeriesScope.Building && model.Buildings.All(b => b.Id != s.Id))
                || (s.Level == SeriesScope.Institution && model.Institutions.All(i => i.Id != s.Id)))
            {
                await error.WriteLineAsync($"--scope: \"{parse.GetRequiredValue(scope)}\": expected region, building:ID or institution:ID of the site file").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var formats = parse.GetRequiredValue(format).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (formats.Length == 0 || formats.Any(f => !ReportWriter.Formats.Contains(f)))
            {
                await error.WriteLineAsync($"--format: \"{parse.GetRequiredValue(format)}\": expected a comma-separated list of html, pdf, xlsx, csv").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var clock = Stopwatch.StartNew();
            var language = Language.Parse(parse.GetRequiredValue(lang));
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var font = store.Services.GetRequiredService<ReportJobOptions>().Font;
            var report = await store.Services.GetRequiredService<ReportBuilder>().BuildAsync(s, p, language, ct).ConfigureAwait(false);
            var charts = new ReportCharts(font, language).All(report);
            var view = new ReportView(report);
            var directory = parse.GetRequiredValue(output).FullName;
            var written = await new ReportWriter(store.Services.GetRequiredService<Core.Ports.IReportArchive>(), time)
                .WriteAsync(report, charts, font, formats, directory, ct).ConfigureAwait(false);
            var outputWriter = parse.InvocationConfiguration.Output;
            await outputWriter.WriteLineAsync($"{report.Title}: {report.TotalTce:N2} tce, {report.Totals.Count} kinds, {charts.Count} charts ({font.Family}), in {clock.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);
            foreach (var file in written)
            {
                await outputWriter.WriteLineAsync($"  {file.Path}  sha256 {file.Sha256[..16]}…").ConfigureAwait(false);
            }

            await outputWriter.WriteLineAsync($"  {Path.Combine(directory, ReportWriter.FileName(report) + "-charts")}/ ({charts.Count} PNG); archived in the index (energymonitor report list)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        command.Add(List(time));
        return command;
    }

    private static Command List(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var list = new Command("list", "The archive of generated reports: period, scope, format, file and SHA-256.") { settings, site };
        list.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            foreach (var r in await store.Services.GetRequiredService<Core.Ports.IReportArchive>().ListAsync(ct).ConfigureAwait(false))
            {
                await output.WriteLineAsync($"{r.Period,-8} {r.Scope,-28} {r.Format,-5} {r.Bytes,10:N0} B  {r.Sha256}  {r.Path}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return list;
    }
}
