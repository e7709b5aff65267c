using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Charts;

/// <summary>The words of the report's charts: titles, axes and legends.</summary>
public static class ChartText
{
    public static LocalizedText DailyByKind { get; } = new("逐日综合能耗（按能源品种）", "Daily energy by kind");

    public static LocalizedText Day { get; } = new("日期", "Day");

    public static LocalizedText Month { get; } = new("月份", "Month");

    public static LocalizedText Profile { get; } = new("24 小时用电负荷曲线（工作日与节假日）", "24-hour electricity profile, working days against days off");

    public static LocalizedText Hour { get; } = new("时刻", "Hour");

    public static LocalizedText MeanKwhPerHour { get; } = new("平均用电 kWh/h", "Mean kWh per hour");

    public static LocalizedText WorkingDays { get; } = new("工作日", "Working days");

    public static LocalizedText DaysOff { get; } = new("周末及节假日", "Weekends and holidays");

    public static LocalizedText Heatmap { get; } = new("逐时用电热力图（小时 × 日期）", "Hourly electricity, hour × day");

    public static LocalizedText Savings { get; } = new("基准能耗（按实际气温）与实际用电", "Baseline for the actual weather against actual use");

    public static LocalizedText BaselineModel { get; } = new("基准模型预测", "Baseline model");

    public static LocalizedText Actual { get; } = new("实际用电", "Actual");

    public static LocalizedText SubItems { get; } = new("用电分项构成", "Electricity by sub-item");

    public static LocalizedText Trajectory { get; } = new("单位建筑面积能耗较基准年变化：目标路径与实际", "Energy per floor area against the base year: target path and actual");

    public static LocalizedText Year { get; } = new("年份", "Year");

    public static LocalizedText ChangeFromBaseYear { get; } = new("较基准年变化（%）", "Change from base year (%)");

    public static LocalizedText TargetPath { get; } = new("目标路径", "Target path");

    /// <summary>A target path's legend when several institutions have one.</summary>
    public static LocalizedText TargetPathOf(string institution) => new($"目标路径（{institution}）", $"Target path ({institution})");

    public static LocalizedText MonthlyTrend(int year) => new($"月度综合能耗趋势（{year} 年与上年同期）", $"Monthly energy, {year} against {year - 1}");

    public static LocalizedText YearLegend(int year) => new($"{year} 年", year.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A month on an axis: "3月" or "3".</summary>
    public static LocalizedText MonthTick(int month) => new($"{month}月", month.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
