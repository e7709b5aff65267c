using System.Globalization;
using System.Text.RegularExpressions;

namespace EnergyMonitor.Simulation.Demo;

/// <summary>The demo's workspace: the example configuration copied in and brought up to the year the demo runs in.</summary>
public static partial class DemoWorkspace
{
    private static readonly string[] OperatorFiles = ["holidays-cn.csv", "tariffs.yaml", "quotas.yaml", "scorecard.yaml"];

    [GeneratedRegex(@"- at: \S+\n(\s+)oldFinalReading: [0-9.]+")]
    private static partial Regex ReplacementEntry();

    /// <summary>The example's first meter exchange moved to <paramref name="at"/>, with what the old register showed then.</summary>
    public static string RecordExchange(string siteText, DateTimeOffset at, double oldFinalReading) =>
        ReplacementEntry().Replace(siteText, m => $"- at: {at:yyyy-MM-ddTHH:mm:sszzz}\n{m.Groups[1].Value}oldFinalReading: {oldFinalReading.ToString("0.0", CultureInfo.InvariantCulture)}", 1);

    [GeneratedRegex(@"(?<![0-9])20[0-9]{2}(?![0-9])")]
    private static partial Regex YearInText();

    [GeneratedRegex(@"^(?<indent>[ ]*)- \{ year: (?<year>[0-9]{4}),(?<rest>.*)\}[ ]*$")]
    private static partial Regex FactsLine();

    /// <summary>
    /// Each institution's newest facts (floor area, occupants…) repeated for the years after it up to <paramref name="year"/>:
    /// the example's facts end with the year it was written, and a demo run later would score and submit years
    /// without them (every target unassessable, every institution 未完成). Marked as carried forward.
    /// </summary>
    public static string CarryFactsForward(string siteText, int year)
    {
        var lines = siteText.Split('\n').ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (FactsLine().Match(lines[i]) is not { Success: true } last || (i + 1 < lines.Count && FactsLine().IsMatch(lines[i + 1])))
            {
                continue;
            }

            var indent = last.Groups["indent"].Value;
            var added = Enumerable.Range(int.Parse(last.Groups["year"].Value, CultureInfo.InvariantCulture) + 1, Math.Max(0, year - int.Parse(last.Groups["year"].Value, CultureInfo.InvariantCulture)))
                .Select(y => $"{indent}- {{ year: {y},{last.Groups["rest"].Value}}} # carried forward by the demo").ToList();
            lines.InsertRange(i + 1, added);
            i += added.Count;
        }

        return string.Join('\n', lines);
    }

    /// <summary>The operator's files and the meter templates copied into the workspace, the scorecard entries moved to <paramref name="lastYear"/>.</summary>
    public static void CopyConfiguration(string source, string target, int lastYear)
    {
        foreach (var name in OperatorFiles.Concat(Directory.GetFiles(source, "scorecard-*.yaml").Select(f => Path.GetFileName(f))))
        {
            if (File.Exists(Path.Combine(source, name)))
            {
                File.Copy(Path.Combine(source, name), Path.Combine(target, name), overwrite: true);
            }
        }

        // The example's entries are for one year; the demo's last full year depends on the day it runs. The newest
        // example, moved to that year (its filing dates with it), stands in for what the officer would have entered.
        var entries = Path.Combine(target, $"scorecard-{lastYear}.yaml");
        if (!File.Exists(entries) && Directory.GetFiles(target, "scorecard-*.yaml").Max() is { } newest
            && int.TryParse(Path.GetFileNameWithoutExtension(newest)["scorecard-".Length..], out var exampleYear))
        {
            var shift = lastYear - exampleYear;
            var text = YearInText().Replace(File.ReadAllText(newest), m => (int.Parse(m.Value, CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(entries, $"# Moved by the demo from {Path.GetFileName(newest)} to {lastYear}.\n" + text);
        }

        Directory.CreateDirectory(Path.Combine(target, "templates"));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "templates")))
        {
            File.Copy(file, Path.Combine(target, "templates", Path.GetFileName(file)), overwrite: true);
        }
    }
}
