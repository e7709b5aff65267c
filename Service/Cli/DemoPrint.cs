using System.Globalization;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Simulation;
using EnergyMonitor.Simulation.Demo;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

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

    public static void Summary(SiteModel site, DemoHistoryOutcome history, DemoResults r, string outDir, int port, TimeSpan elapsed)
    {
        static string N(double v, int d = 0) => v.ToString("N" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule("[bold]What the system did[/]").LeftJustified());
        AnsiConsole.MarkupLine($"meters read: [bold]{site.Meters.Count()}[/] over the history; [bold]{r.LiveMeters}[/] live in the last seconds ({N(r.LiveReadings)} readings through Modbus, DL/T 645, CJ/T 188 and MQTT)");
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
                assessment.AddRow(Markup.Escape(building.Name), "[grey]no model[/]", "", "", "", Markup.Escape(string.Join("; ", report?.Result.Sufficiency.Reasons.Select(x => x.En) ?? ["too little history"])));
                continue;
            }

            assessment.AddRow(Markup.Escape(building.Name), model.Type.ToString(), N(model.Fit.R2, 3), model.Fit.CvRmse.ToString("P1", CultureInfo.InvariantCulture),
                model.Fit.PassesGuideline14 ? "[green]pass[/]" : "[yellow]fail[/]",
                report.Savings is { } s ? Savings(s.Fraction, s.FractionalUncertainty, s.Avoided) : "");
        }

        AnsiConsole.Write(assessment);

        if (r.Scores.Count > 0)
        {
            var scores = new Table().Title($"[bold]Annual assessment (考核评价) {r.ScoreYear}[/]").AddColumns("institution", "score", "grade");
            foreach (var s in r.Scores)
            {
                scores.AddRow(Markup.Escape(site.Institutions.First(i => i.Id == s.Institution).Name), $"{N(s.Score, 1)} / {N(s.Total)}", Markup.Escape(s.Grade));
            }

            AnsiConsole.Write(scores);
            foreach (var s in r.Scores)
            {
                AnsiConsole.MarkupLine($"  [bold]{Markup.Escape(site.Institutions.First(i => i.Id == s.Institution).Name)}[/] {Markup.Escape(s.Grade)}：{Markup.Escape(Why(s))}");
            }
        }

        if (r.Submission is { } drafted)
        {
            Submission(r.ScoreYear, drafted);
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

        string Relative(string path) => Markup.Escape(Path.GetRelativePath(Environment.CurrentDirectory, path));
        if (r.Submission is { } submission)
        {
            var final = submission.Explained ?? submission.First;
            foreach (var file in final.Files)
            {
                files.AddRow(file.EndsWith("-review.txt", StringComparison.Ordinal) ? "submission review (审核)" : $"statistical submission {Path.GetExtension(file)[1..].ToUpperInvariant()}", Relative(file));
            }

            if (submission.ExplanationFile is { } explanations)
            {
                files.AddRow("the officer's explanations (submit --explanations)", Relative(explanations));
            }
        }

        files.AddRow("alert log", Relative(r.AlertLog));
        files.AddRow("the configuration used (site.yaml records the meter exchange)", Relative(outDir));
        files.AddRow("the console", $"dotnet run --project Service -- demo --serve  (then http://127.0.0.1:{port}/)");
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

    /// <summary>The review, the explanation that answers it, and the export, as the officer goes through them.</summary>
    private static void Submission(int year, DemoSubmission.Outcome s)
    {
        AnsiConsole.Write(new Rule($"[bold]Statistical submission {year} (公共机构能源资源消费统计)[/]").LeftJustified());
        static void Findings(Reports.Jobs.SubmissionDraft draft)
        {
            foreach (var f in draft.Findings.OrderBy(f => f.Level))
            {
                var level = f.Level == Reports.Submission.FindingLevel.Error ? "[red]错误[/]" : "[grey]提示[/]";
                AnsiConsole.MarkupLine($"  {level} {Markup.Escape($"{f.Institution} {f.Field} = {f.Value}：{f.Rule}")}");
            }
        }

        var errors = s.First.Findings.Count(f => f.Level == Reports.Submission.FindingLevel.Error);
        AnsiConsole.MarkupLine($"1. review (审核): {errors} errors, {s.First.Findings.Count - errors} notes");
        Findings(s.First);
        if (s.ExplanationFile is { } file && s.Explained is { } explained)
        {
            AnsiConsole.MarkupLine($"2. the officer explains what the county's facts explain, in [blue]{Markup.Escape(Path.GetFileName(file))}[/] (the file submit --explanations reads)");
            var left = explained.Findings.Count(f => f.Level == Reports.Submission.FindingLevel.Error);
            AnsiConsole.MarkupLine($"3. reviewed again: {left} errors");
            Findings(explained);
        }

        var final = s.Explained ?? s.First;
        AnsiConsole.MarkupLine(final.Exported
            ? "[green]exported[/]: JSON for the bureau, CSV and XLSX for people (listed below)"
            : "[yellow]not exported[/]: the errors above block it until they are corrected or explained");
    }

    /// <summary>Why an institution got its grade: each item short of its points, and the vetoes that applied.</summary>
    private static string Why(Analytics.Scorecard.ScoreResult s)
    {
        var lost = s.Items.Where(i => i.Score < i.Points - 1e-9).Select(i => $"{i.Name} {(i.Score - i.Points).ToString("0.#", CultureInfo.InvariantCulture)}（{i.Basis.Zh}）");
        var vetoes = s.Vetoed.Select(v => "否决：" + v);
        return string.Join("；", vetoes.Concat(lost).DefaultIfEmpty("全部得分"));
    }
}
