using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Model;

/// <summary>The words the report model writes: its title, the scope's name and the notes under the tables.</summary>
public static class ReportText
{
    public static LocalizedText EquivalentValue { get; } = new("当量值", "equivalent value (当量值)");

    public static LocalizedText EquivalentInputValue { get; } = new("等价值", "equivalent-input value (等价值)");

    public static LocalizedText NotSubMetered { get; } = new("未分项计量", "Not sub-metered");

    public static LocalizedText NoModel { get; } = new("无可用模型", "no model");

    public static LocalizedText LastYearIncomplete { get; } = new("上年同期数据不完整，不作同比。", "The same period last year is not fully covered by data: no year-on-year changes are given.");

    public static LocalizedText Title(string scopeName, string period) => new($"{scopeName}{period}能源资源消耗报告", $"{scopeName} energy consumption report, {period}");

    public static LocalizedText RegionScope(string region) => new($"{region}公共机构", $"{region} public institutions");

    public static LocalizedText PeriodNotOver(int elapsedDays, int days) =>
        new($"报告期尚未结束：已覆盖 {days} 天中的 {elapsedDays} 天。", $"The period is not over: {elapsedDays} of {days} days are covered.");

    public static LocalizedText CostApproximated(string kind) =>
        new($"{kind} 部分时段缺少逐时数据，按分时电价均价计费。", $"{kind} cost is priced at the mean of its time-of-use bands where hourly use is missing.");

    public static LocalizedText NoKgceFactor(string kind, string coefficientSet) =>
        new($"系数集 {coefficientSet} 无 {kind} 的折标系数，未计入综合能耗。", $"{kind} has no standard-coal factor in {coefficientSet} and is not in the total.");

    public static LocalizedText TargetsNotJudged(string institution, double coverage, int year) =>
        new($"{institution}：{year} 年数据仅覆盖 {coverage:P0} 的天数，目标完成情况不作判定。", $"{institution}: the rollups cover {coverage:P0} of {year} to date; its targets are not judged.");

    public static LocalizedText TargetsToDate(int year, DateOnly through) =>
        new($"目标完成情况按 {year} 年初至 {through:yyyy-MM-dd} 与基准年同期比较。", $"Targets are assessed on {year} to date ({through:yyyy-MM-dd}) against the same span of the base year.");
}
