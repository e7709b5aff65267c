using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Scorecard;

/// <summary>What the energy officer entered for one institution and year: the qualitative items, the filing date, the veto conditions.</summary>
public sealed record ScoreInput(IReadOnlyDictionary<string, double> Items, DateOnly? StatisticsFiled, IReadOnlyDictionary<string, bool> Conditions)
{
    public static ScoreInput Empty { get; } = new(new Dictionary<string, double>(), null, new Dictionary<string, bool>());
}

/// <summary>One item's score with why.</summary>
public sealed record ItemScore(string Id, string Name, double Points, double Score, LocalizedText Basis);

/// <summary>An institution's scorecard for a year.</summary>
public sealed record ScoreResult(string Institution, int Year, string Scheme, double Total, double Score, string Grade, IReadOnlyList<ItemScore> Items, IReadOnlyList<string> Vetoed, IReadOnlyList<LocalizedText> Notes)
{
    /// <summary>The year's 单位建筑面积能耗 and 人均综合能耗, for placing the institution against its quota.</summary>
    public double? EnergyPerArea { get; init; }

    public double? EnergyPerPerson { get; init; }

    /// <summary>Its position against each quota that applies to it; empty when none does.</summary>
    public IReadOnlyList<Quotas.QuotaPosition> Quotas { get; init; } = [];
}

/// <summary>Scores one institution's year by a scheme (docs/DOMAIN.md#annual-scorecard). Pure: indicators and the officer's input in, a result out.</summary>
public static class ScoreCalculator
{
    public static ScoreResult Score(ScoreScheme scheme, Institution institution, InstitutionIndicators indicators, ScoreInput input)
    {
        var notes = new List<LocalizedText>(indicators.Notes);
        var items = scheme.Items.Select(item => ScoreItem(item, institution, indicators, input, notes)).ToList();
        var score = Math.Round(items.Sum(i => i.Score), 1);
        var grade = scheme.Grades.OrderByDescending(g => g.Minimum).FirstOrDefault(g => score >= g.Minimum)?.Name ?? "";
        var vetoed = new List<string>();
        foreach (var veto in scheme.Vetoes)
        {
            var missed = items.Where(i => veto.Items.Contains(i.Id) && i.Score < i.Points - 1e-9).Select(i => i.Name).ToList();
            var failed = veto.Input is { } key && input.Conditions.TryGetValue(key, out var met) && !met;
            if (missed.Count > 0 || failed)
            {
                vetoed.Add($"{veto.Name}: {(failed ? "未达标（录入）" : "未完成 " + string.Join("、", missed))}");
                grade = veto.Grade;
            }
        }

        return new ScoreResult(institution.Id, indicators.Year, scheme.Name, scheme.Total, score, grade, items, vetoed, notes)
        {
            EnergyPerArea = indicators.EnergyPerArea,
            EnergyPerPerson = indicators.EnergyPerPerson,
        };
    }

    private static ItemScore ScoreItem(ScoreItem item, Institution institution, InstitutionIndicators indicators, ScoreInput input, List<LocalizedText> notes)
    {
        switch (item.Rule)
        {
            case ScoreRule.Target target:
                {
                    var attained = indicators.Targets.FirstOrDefault(t => t.Indicator == target.Indicator);
                    if (attained?.AchievedChange is not { } achieved || institution.Targets is not { } targets)
                    {
                        return new ItemScore(item.Id, item.Name, item.Points, 0, new LocalizedText("无基准年数据可比", "no base-year value to compare with"));
                    }

                    var required = target.Horizon == "annual" ? AnnualStep(attained.RequiredChange, targets.BaseYear, targets.TargetYear, indicators.Year) : attained.RequiredChange;
                    var score = Proportion(achieved >= 0 ? 0 : achieved <= required ? 1 : achieved / required) * item.Points;
                    var horizonZh = target.Horizon == "annual" ? "年度" : "五年";
                    return new ItemScore(item.Id, item.Name, item.Points, Math.Round(score, 1), new LocalizedText(
                        $"{attained.BaseValue:0.##} → {attained.CurrentValue:0.##}：变化 {achieved:+0.0 %;-0.0 %}，{horizonZh}目标 {required:+0.0 %;-0.0 %}",
                        $"{attained.BaseValue:0.##} → {attained.CurrentValue:0.##}: {achieved:+0.0 %;-0.0 %}, required {required:+0.0 %;-0.0 %} ({target.Horizon})"));
                }

            case ScoreRule.Quota quota:
                {
                    if (institution.Targets?.AnnualEnergyQuota is not { } q)
                    {
                        return new ItemScore(item.Id, item.Name, item.Points, item.Points, new LocalizedText("未设定额：满分", "no quota set: full points"));
                    }

                    var over = (indicators.Kgce - q.Value) / q.Value;
                    var share = over <= 0 ? 1 : over >= quota.Tolerance ? 0 : 1 - (over / quota.Tolerance);
                    return new ItemScore(item.Id, item.Name, item.Points, Math.Round(share * item.Points, 1), new LocalizedText($"{indicators.Kgce:N0} kgce，定额 {q.Value:N0} kgce（{over:+0.0 %;-0.0 %}）", $"{indicators.Kgce:N0} kgce against a quota of {q.Value:N0} kgce ({over:+0.0 %;-0.0 %})"));
                }

            case ScoreRule.Completeness completeness:
                {
                    var total = indicators.UseByKind.Values.Sum();
                    var estimated = total > 0 ? indicators.UseByKind.Sum(u => u.Value * indicators.EstimatedShareByKind.GetValueOrDefault(u.Key)) / total : 1;
                    var complete = 1 - estimated;
                    var share = complete >= completeness.Full ? 1 : complete <= completeness.Zero ? 0 : (complete - completeness.Zero) / (completeness.Full - completeness.Zero);
                    return new ItemScore(item.Id, item.Name, item.Points, Math.Round(share * item.Points, 1), new LocalizedText($"实测（非估算）用量占 {complete:P1}（{completeness.Full:P0} 得满分）", $"{complete:P1} of use metered, not estimated (full at {completeness.Full:P0})"));
                }

            case ScoreRule.Timeliness timeliness:
                {
                    var deadline = new DateOnly(indicators.Year + 1, timeliness.Month, timeliness.Day);
                    if (input.StatisticsFiled is not { } filed)
                    {
                        notes.Add(new($"{item.Name}：未录入 {indicators.Year} 年统计报表的报送日期", $"{item.Name}: the filing date of the {indicators.Year} statistics is not entered"));
                        return new ItemScore(item.Id, item.Name, item.Points, 0, new LocalizedText("未录入报送日期", "filing date not entered"));
                    }

                    return new ItemScore(item.Id, item.Name, item.Points, filed <= deadline ? item.Points : 0, new LocalizedText($"{filed:yyyy-MM-dd} 报送，截止 {deadline:yyyy-MM-dd}", $"filed {filed:yyyy-MM-dd}, due {deadline:yyyy-MM-dd}"));
                }

            case ScoreRule.Manual:
                {
                    if (!input.Items.TryGetValue(item.Id, out var entered))
                    {
                        notes.Add(new($"{item.Name}：节能管理员尚未评分", $"{item.Name}: not scored by the officer yet"));
                        return new ItemScore(item.Id, item.Name, item.Points, 0, new LocalizedText("未录入", "not entered"));
                    }

                    return new ItemScore(item.Id, item.Name, item.Points, Math.Clamp(entered, 0, item.Points), new LocalizedText("节能管理员录入", "entered by the officer"));
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(item), item.Rule, "unknown score rule");
        }
    }

    /// <summary>
    /// This year's required change on a steady path from the base year to the target year's reduction: the same
    /// factor each year, so that −5 % over 2020–2025 asks (0.95)^(y−2020)/5 − 1 by year y.
    /// </summary>
    public static double AnnualStep(double totalChange, int baseYear, int targetYear, int year)
    {
        var elapsed = Math.Clamp(year - baseYear, 0, targetYear - baseYear);
        return Math.Pow(1 + totalChange, (double)elapsed / (targetYear - baseYear)) - 1;
    }

    private static double Proportion(double share) => Math.Clamp(share, 0, 1);
}
