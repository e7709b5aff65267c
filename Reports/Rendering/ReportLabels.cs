namespace EnergyMonitor.Reports.Rendering;

/// <summary>The words of a report's headings and columns, 简体中文 by default and English with --lang en.</summary>
public static class ReportLabels
{
    public static IReadOnlyDictionary<string, string> For(string language) =>
        language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["generated"] = "生成时间",
        ["coefficients"] = "折算系数",
        ["totalKgce"] = "综合能耗",
        ["totalCo2"] = "二氧化碳排放",
        ["yoy"] = "同比",
        ["pop"] = "环比",
        ["alerts"] = "本期告警",
        ["totalsHeading"] = "一、分品种能源资源消耗",
        ["kind"] = "品种",
        ["amount"] = "消耗量",
        ["unit"] = "单位",
        ["estimated"] = "估算占比",
        ["rejected"] = "剔除占比",
        ["daysMissing"] = "缺数天数",
        ["indicatorsHeading"] = "二、主要指标",
        ["indicator"] = "指标",
        ["value"] = "本期",
        ["lastYear"] = "上年同期",
        ["itemsHeading"] = "三、分类分项能耗",
        ["code"] = "编码",
        ["item"] = "分类/分项",
        ["share"] = "占上级比例",
        ["chartsHeading"] = "四、图表",
        ["alertsHeading"] = "五、本期告警",
        ["noAlerts"] = "本期无告警。",
        ["opened"] = "发生时间",
        ["severity"] = "级别",
        ["alert"] = "告警内容",
        ["state"] = "状态",
        ["coefficientsHeading"] = "六、折标与排放系数",
        ["source"] = "来源",
        ["page"] = "第 {0} 页，共 {1} 页",
        ["cost"] = "金额（元）",
        ["savingsHeading"] = "七、节能量评估（天气归一化）",
    };

    private static readonly Dictionary<string, string> English = new(StringComparer.Ordinal)
    {
        ["generated"] = "Generated",
        ["coefficients"] = "Coefficient set",
        ["totalKgce"] = "Total energy",
        ["totalCo2"] = "CO₂ emissions",
        ["yoy"] = "Year on year",
        ["pop"] = "Period on period",
        ["alerts"] = "Alerts this period",
        ["totalsHeading"] = "1. Consumption by kind",
        ["kind"] = "Kind",
        ["amount"] = "Amount",
        ["unit"] = "Unit",
        ["estimated"] = "Estimated",
        ["rejected"] = "Rejected",
        ["daysMissing"] = "Days missing",
        ["indicatorsHeading"] = "2. Indicators",
        ["indicator"] = "Indicator",
        ["value"] = "This period",
        ["lastYear"] = "Same period last year",
        ["itemsHeading"] = "3. Categories and sub-items",
        ["code"] = "Code",
        ["item"] = "Item",
        ["share"] = "Share of parent",
        ["chartsHeading"] = "4. Charts",
        ["alertsHeading"] = "5. Alerts",
        ["noAlerts"] = "No alerts in this period.",
        ["opened"] = "Opened",
        ["severity"] = "Severity",
        ["alert"] = "Alert",
        ["state"] = "State",
        ["coefficientsHeading"] = "6. Conversion and emission coefficients",
        ["source"] = "Source",
        ["page"] = "Page {0} of {1}",
        ["cost"] = "Cost (yuan)",
        ["savingsHeading"] = "7. Weather-normalised savings",
    };
}
