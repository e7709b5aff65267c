using System.Globalization;
using EnergyMonitor.Collector.Simulation;
using EnergyMonitor.Core.Site;
using Spectre.Console;

namespace EnergyMonitor.Collector.Cli;

/// <summary>The demo's closing summary: what was read, each planted fault and what caught it, the assessment, the scores and the files.</summary>
internal static class DemoPrint
{
    /// <summary>
    /// Savings with their 90 % uncertainty in the same terms (share of the baseline, kWh): ASHRAE's fractional
    /// uncertainty is relative to the savings themselves, so a small saving shows hundreds of percent.
    /// </summary>
    public static string Savings(double fraction, double? fractionalUncertainty, double avoided) =>
        fractionalUncertainty is { } u
            ? $"{fraction.ToString("P1", CultureInfo.InvariantCulture)} ± {(u * Math.Abs(fraction)).ToString("P1", CultureInfo.InvariantCulture)} ({avoided.ToString("N0", CultureInfo.InvariantCulture)} ± {(u * Math.Abs(avoided)).ToString("N0", CultureInfo.InvariantCulture)} kWh)"
            : $"{fraction.ToString("P1", CultureInfo.InvariantCulture)} ({avoided.ToString("N0", CultureInfo.InvariantCulture)} kWh)";

    public static void Summary(SiteModel site, DemoHistoryOutcome history, DemoResults r, string outDir, TimeSpan elapsed)
    {
        static string N(double v, int d = 0) => v.ToString("N" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule("[bold]What the system did[/]").LeftJustified());
        AnsiConsole.MarkupLine($"meters read: [bold]{site.Meters.Count()}[/] over the history; [bold]{r.LiveMeters}[/] live in the last seconds ({N(r.LiveReadings)} readings through Modbus and MQTT)");
        AnsiConsole.MarkupLine($"readings stored: [bold]{N(r.Stored)}[/] ({N(history.Written)} of history, {N(history.Published)} of them through the MQTT broker and ingestor)");
        AnsiConsole.MarkupLine($"alerts raised: [bold]{r.Alerts.Count}[/], {r.Alerts.Count(a => a.IsActive)} still open");

        var faults = new Table().Title("[bold]Planted faults[/]").AddColumns("fault", "caught by");
        foreach (var (fault, caught) in r.Caught)
        {
            faults.AddRow(Markup.Escape(fault.Description), caught is null ? "[red]not caught[/]" : $"[green]✓[/] {Markup.Escape(caught)}");
        }

        AnsiConsole.Write(faults);

        var assessment = new Table().Title("[bold]Weather-normalised assessment, last 30 days against the year before (electricity)[/]")
            .AddColumns("building", "model", "R²", "CV(RMSE)", "Guideline 14", "savings");
        foreach (var (building, report) in r.Assessments)
        {
            if (report?.Result.Model is not { } model)
            {
                assessment.AddRow(Markup.Escape(building.Name), "[grey]no model[/]", "", "", "", Markup.Escape(string.Join("; ", report?.Result.Sufficiency.Reasons ?? ["too little history"])));
                continue;
            }

            assessment.AddRow(Markup.Escape(building.Name), model.Type.ToString(), N(model.Fit.R2, 3), model.Fit.CvRmse.ToString("P1", CultureInfo.InvariantCulture),
                model.Fit.PassesGuideline14 ? "[green]pass[/]" : "[yellow]fail[/]",
                report.Savings is { } s ? Savings(s.Fraction, s.FractionalUncertainty, s.Avoided) : "");
        }

        AnsiConsole.Write(assessment);

        if (r.Scores.Count > 0)
        {
            var scores = new Table().Title("[bold]Annual assessment (考核评价), year to date[/]").AddColumns("institution", "score", "grade");
            foreach (var s in r.Scores)
            {
                scores.AddRow(Markup.Escape(site.Institutions.First(i => i.Id == s.Institution).Name), $"{N(s.Score, 1)} / {N(s.Total)}", Markup.Escape(s.Grade));
            }

            AnsiConsole.Write(scores);
        }

        var files = new Table().Title("[bold]Files written[/]").AddColumns("what", "where");
        foreach (var report in r.Reports.Where(x => x.Scope.StartsWith("region", StringComparison.Ordinal)))
        {
            files.AddRow($"report {Markup.Escape(report.Period)} region ({report.Format})", Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, report.Path)));
        }

        var institutionReports = r.Reports.Count(x => !x.Scope.StartsWith("region", StringComparison.Ordinal));
        if (institutionReports > 0)
        {
            files.AddRow("each institution's report", $"{institutionReports} files beside it");
        }

        foreach (var file in r.Submission)
        {
            files.AddRow(file.EndsWith("-review.txt", StringComparison.Ordinal) ? "submission review (审核)" : "statistical submission draft", Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, file)));
        }

        files.AddRow("alert log", Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, r.AlertLog)));
        files.AddRow("the configuration used (site.yaml records the meter exchange)", Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, outDir)));
        AnsiConsole.Write(files);
        foreach (var note in r.Notes)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
        }

        var missed = r.Caught.Count(c => c.CaughtBy is null);
        AnsiConsole.MarkupLine(missed == 0
            ? $"[green]all {r.Caught.Count} planted faults caught[/] in {elapsed.TotalSeconds:F0} s. Serve the console with [bold]demo --serve[/]."
            : $"[red]{missed} of {r.Caught.Count} planted faults not caught[/] in {elapsed.TotalSeconds:F0} s");
    }
}
