using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Submission;

namespace EnergyMonitor.Service.Tests.Cli;

/// <summary>A city sums its counties' submission files: totals equal the sum of the inputs; a foreign or mixed input is refused.</summary>
public sealed class SubmitImportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-submit-import-").FullName;

    private static InstitutionSubmission County(string region, string id, string creditCode, double kwh, double kgce) => new(1, "2025-11", 2026, region, id,
        new BasicInfo(creditCode, id, "01", "国家机关", 10_000, 400, 380, 4, 2, 1, 1, 0),
        [new EnergyRow("01", "电力", EnergyKind.Electricity, "千瓦时", kwh, kwh * 0.7, null)], null, null, kgce, null, null, null, 0, "CN-2023");

    private void Write(string name, params InstitutionSubmission[] submissions) =>
        File.WriteAllText(Path.Combine(_dir, "in", name), SubmissionExports.ToJson(submissions, SubmissionExports.Summarise(submissions[0].RegionCode, 2026, submissions)));

    [Fact]
    public void Two_counties_sum_into_the_citys_summary()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "in"));
        Write("submission-320117-2026.json", County("320117", "a", "11320117MB0123456D", 1_000_000, 122_900), County("320117", "b", "12320117MB0234567M", 200_000, 24_580));
        Write("submission-320115-2026.json", County("320115", "c", "11320115MB0000001X", 500_000, 61_450));

        var (exit, output, error) = CliRunner.Run("submit", "import", Path.Combine(_dir, "in"), "--region", "320100", "--out", Path.Combine(_dir, "out"));

        Assert.True(exit == 0, error);
        Assert.Contains("3 个单位", output, StringComparison.Ordinal);
        var all = SubmissionExports.FromJson(File.ReadAllText(Path.Combine(_dir, "out", "submission-320100-2026-summary.json")));
        var summary = SubmissionExports.Summarise("320100", 2026, all);
        Assert.Equal(1_700_000, summary.Energy.Single().Quantity);
        Assert.Equal(122_900 + 24_580 + 61_450, summary.TotalKgce);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "submission-320100-2026-summary.xlsx")));
    }

    [Fact]
    public void A_county_outside_the_city_is_refused_with_its_file_named()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "in"));
        Write("submission-310101-2026.json", County("310101", "x", "11320117MB0123456D", 1, 1));

        var (exit, _, error) = CliRunner.Run("submit", "import", Path.Combine(_dir, "in"), "--region", "320100", "--out", Path.Combine(_dir, "out"));

        Assert.Equal(2, exit);
        Assert.Contains("submission-310101-2026.json", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
