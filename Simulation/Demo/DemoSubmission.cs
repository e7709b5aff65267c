using System.Text;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Reports.Jobs;
using EnergyMonitor.Reports.Submission;
using EnergyMonitor.Site;

namespace EnergyMonitor.Simulation.Demo;

/// <summary>
/// The demo's statistical submission as an officer makes it: the draft is reviewed; a finding the county's facts
/// explain (a school's 人均综合能耗 is low because its 用能人数 counts the pupils) is answered in an explanation file,
/// the file <c>submit --explanations</c> reads; the draft is reviewed again and exported. A finding with no such
/// fact behind it stays an error: the demo explains nothing it cannot justify.
/// </summary>
public static class DemoSubmission
{
    /// <summary>The draft as first reviewed, the explanation file written (if any), and the draft after it.</summary>
    public sealed record Outcome(SubmissionDraft First, string? ExplanationFile, SubmissionDraft? Explained);

    public static async Task<Outcome> RunAsync(AnnualSubmissionJob job, SiteModel site, int year, string outDir, CancellationToken cancellationToken)
    {
        var first = await job.DraftAsync(year, null, cancellationToken).ConfigureAwait(false);
        var reasons = Reasons(site, first.Findings.Where(f => f.Level == FindingLevel.Error));
        if (first.Exported || reasons.Count == 0)
        {
            return new Outcome(first, null, null);
        }

        var path = Path.Combine(outDir, $"explanations-{year}.yaml");
        await File.WriteAllTextAsync(path, Yaml(year, reasons), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

        // Read back as the CLI reads it, so the demo proves the file, not an object in memory.
        var (loaded, errors) = ExplanationFile.Load(path);
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        return new Outcome(first, path, await job.DraftAsync(year, (Path.GetFileName(path), loaded), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The reasons the site's own facts give: the 用能人数 of a school (单位性质 02…) counts its pupils.</summary>
    private static Dictionary<string, Dictionary<string, string>> Reasons(SiteModel site, IEnumerable<ReviewFinding> errors)
    {
        var reasons = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var finding in errors)
        {
            if (finding.Field == "指标.人均综合能耗" && site.Institutions.FirstOrDefault(i => i.Id == finding.Institution) is { } school
                && school.NatureCode.StartsWith("02", StringComparison.Ordinal))
            {
                reasons.TryAdd(school.Id, new Dictionary<string, string>(StringComparer.Ordinal));
                reasons[school.Id][finding.Field] = $"{school.Name}为学校，用能人数含在校学生；按在校师生计算的人均综合能耗低于机关单位属实，已核对用能人数与能耗数量";
            }
        }

        return reasons;
    }

    private static string Yaml(int year, Dictionary<string, Dictionary<string, string>> reasons) =>
        ExplanationFile.Format($"{year} 年统计报表审核说明（submit --explanations 读取此文件）。由演示写出：每条说明对应审核发现的一个字段。",
            reasons.SelectMany(i => i.Value.Select(f => (i.Key, f.Key, f.Value, (string?)null))));
}
