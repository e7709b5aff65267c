using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Tests.Scorecard;

/// <summary>Worked examples of the scorecard: every grade boundary of the shipped (Shaoyang 2022) grades, both vetoes, and the annual step.</summary>
public sealed class ScoreCalculatorTests
{
    private static readonly ScoreGrade[] Grades =
    [
        new(95, "超额完成", "exceeded"), new(80, "完成", "achieved"), new(65, "基本完成", "largely achieved"), new(0, "未完成", "not achieved"),
    ];

    private static readonly ScoreScheme Scheme = new("test", "Shaoyang 2022 grades", Grades,
    [
        new ScoreItem("energy", "单位建筑面积能耗年度目标", 20, new ScoreRule.Target(IndicatorId.EnergyPerArea, "annual")),
        new ScoreItem("work", "工作措施", 80, new ScoreRule.Manual()),
    ],
    [
        new ScoreVeto("energy-target", "节能目标一票否决", "未完成", ["energy"], null),
        new ScoreVeto("waste-sorting", "垃圾分类一票否决", "未完成", [], "waste-sorting"),
    ]);

    private static readonly Institution Institution = new("i1", "机关", "11320117MB0123456D", "01", [], new Targets(2020, 2025), []);

    private static InstitutionIndicators Indicators(double achievedChange) => new(
        "i1", 2025, DateTimeOffset.UnixEpoch, "CN-2023", new Dictionary<string, double>(), new Dictionary<string, double>(), 0, 0, null, null, null, null, null, null,
        [new TargetAttainment(IndicatorId.EnergyPerArea, 10, 10 * (1 + achievedChange), -0.05, achievedChange, achievedChange <= -0.05)], null, []);

    private static ScoreInput Work(double points, bool wasteSortingMet = true) =>
        new(new Dictionary<string, double> { ["work"] = points }, null, new Dictionary<string, bool> { ["waste-sorting"] = wasteSortingMet });

    [Theory]
    [InlineData(75.0, "超额完成")] // 20 + 75 = 95
    [InlineData(74.9, "完成")] // 94.9
    [InlineData(60.0, "完成")] // 80
    [InlineData(59.9, "基本完成")] // 79.9
    [InlineData(45.0, "基本完成")] // 65
    [InlineData(44.9, "未完成")] // 64.9
    public void Each_grade_boundary_is_inclusive_at_its_minimum(double work, string grade)
    {
        var result = ScoreCalculator.Score(Scheme, Institution, Indicators(-0.06), Work(work));

        Assert.Equal(20, result.Items[0].Score);
        Assert.Equal(grade, result.Grade);
        Assert.Empty(result.Vetoed);
    }

    [Fact]
    public void A_missed_energy_target_is_未完成_whatever_the_score_and_scores_in_proportion()
    {
        // 2025 asks the whole −5 %; −4 % achieved earns 4/5 of 20 points.
        var result = ScoreCalculator.Score(Scheme, Institution, Indicators(-0.04), Work(80));

        Assert.Equal(16, result.Items[0].Score);
        Assert.Equal(96, result.Score);
        Assert.Equal("未完成", result.Grade);
        Assert.Contains(result.Vetoed, v => v.StartsWith("节能目标一票否决", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rise_scores_nothing_and_the_officers_missed_waste_sorting_vetoes_too()
    {
        Assert.Equal(0, ScoreCalculator.Score(Scheme, Institution, Indicators(+0.02), Work(80)).Items[0].Score);

        var result = ScoreCalculator.Score(Scheme, Institution, Indicators(-0.06), Work(80, wasteSortingMet: false));
        Assert.Equal(100, result.Score);
        Assert.Equal("未完成", result.Grade);
        Assert.Single(result.Vetoed);
    }

    [Fact]
    public void The_annual_step_follows_a_steady_path_to_the_five_year_reduction()
    {
        // −5 % over 2020–2025: 0.95^(3/5) − 1 = exp(0.6 × ln 0.95) − 1 = −3.0307 % by 2023; the whole −5 % from 2025 on.
        Assert.Equal(-0.030307, ScoreCalculator.AnnualStep(-0.05, 2020, 2025, 2023), 6);
        Assert.Equal(-0.05, ScoreCalculator.AnnualStep(-0.05, 2020, 2025, 2025), 12);
        Assert.Equal(-0.05, ScoreCalculator.AnnualStep(-0.05, 2020, 2025, 2026), 12);
        Assert.Equal(0, ScoreCalculator.AnnualStep(-0.05, 2020, 2025, 2020), 12);
    }

    [Fact]
    public void Manual_points_are_capped_at_the_item_and_a_missing_entry_scores_zero_with_a_note()
    {
        Assert.Equal(80, ScoreCalculator.Score(Scheme, Institution, Indicators(-0.06), Work(120)).Items[1].Score);

        var empty = ScoreCalculator.Score(Scheme, Institution, Indicators(-0.06), ScoreInput.Empty);
        Assert.Equal(0, empty.Items[1].Score);
        Assert.Contains(empty.Notes, n => n.En.Contains("not scored", StringComparison.Ordinal) && n.Zh.Contains("尚未评分", StringComparison.Ordinal));
    }
}
