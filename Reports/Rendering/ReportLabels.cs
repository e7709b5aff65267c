using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// The words of a report's headings, columns and notes, 简体中文 by default and English with --lang en: a catalogue
/// whose members are the stable keys (the HTML template reads them as <c>labels.generated</c>).
/// </summary>
public static class ReportLabels
{
    /// <summary>A section number as the language writes it: "七、" or "7. ".</summary>
    public static string SectionNumber(int n, Language language) =>
        language.IsEnglish ? $"{n}. " : $"{(n <= 10 ? "一二三四五六七八九十"[n - 1].ToString() : "十" + "一二三四五六七八九"[n - 11])}、";

    /// <summary>The words in one language, for the template.</summary>
    public static IReadOnlyDictionary<string, string> For(Language language) => language.IsEnglish ? ForTemplates.English : ForTemplates.Chinese;

    public static LocalizedText Generated { get; } = new("生成时间", "Generated");

    public static LocalizedText Coefficients { get; } = new("折算系数", "Coefficient set");

    public static LocalizedText TotalKgce { get; } = new("综合能耗", "Total energy");

    public static LocalizedText TotalCo2 { get; } = new("二氧化碳排放", "CO₂ emissions");

    public static LocalizedText Yoy { get; } = new("同比", "Year on year");

    public static LocalizedText Pop { get; } = new("环比", "Period on period");

    public static LocalizedText Alerts { get; } = new("本期告警", "Alerts this period");

    public static LocalizedText TotalsHeading { get; } = new("一、分品种能源资源消耗", "1. Consumption by kind");

    public static LocalizedText Kind { get; } = new("品种", "Kind");

    public static LocalizedText Amount { get; } = new("消耗量", "Amount");

    public static LocalizedText Unit { get; } = new("单位", "Unit");

    public static LocalizedText Estimated { get; } = new("估算占比", "Estimated");

    public static LocalizedText Rejected { get; } = new("剔除占比", "Rejected");

    public static LocalizedText DaysMissing { get; } = new("缺数天数", "Days missing");

    public static LocalizedText IndicatorsHeading { get; } = new("二、主要指标", "2. Indicators");

    public static LocalizedText Indicator { get; } = new("指标", "Indicator");

    public static LocalizedText Value { get; } = new("本期", "This period");

    public static LocalizedText LastYear { get; } = new("上年同期", "Same period last year");

    public static LocalizedText ItemsHeading { get; } = new("三、分类分项能耗", "3. Categories and sub-items");

    public static LocalizedText Code { get; } = new("编码", "Code");

    public static LocalizedText Item { get; } = new("分类/分项", "Item");

    public static LocalizedText Share { get; } = new("占上级比例", "Share of parent");

    public static LocalizedText ChartsHeading { get; } = new("四、图表", "4. Charts");

    public static LocalizedText ChartsSheet { get; } = new("图表", "Charts");

    public static LocalizedText AlertsHeading { get; } = new("五、本期告警", "5. Alerts");

    public static LocalizedText NoAlerts { get; } = new("本期无告警。", "No alerts in this period.");

    public static LocalizedText Opened { get; } = new("发生时间", "Opened");

    public static LocalizedText Severity { get; } = new("级别", "Severity");

    public static LocalizedText Alert { get; } = new("告警内容", "Alert");

    public static LocalizedText State { get; } = new("状态", "State");

    public static LocalizedText CoefficientsHeading { get; } = new("六、折标与排放系数", "6. Conversion and emission coefficients");

    public static LocalizedText Source { get; } = new("来源", "Source");

    public static LocalizedText Page { get; } = new("第 {0} 页，共 {1} 页", "Page {0} of {1}");

    public static LocalizedText Cost { get; } = new("金额（元）", "Cost (yuan)");

    public static LocalizedText SavingsHeading { get; } = new("七、节能量评估（天气归一化）", "7. Weather-normalised savings");

    public static LocalizedText TargetsHeading { get; } = new("节能目标完成情况（基准年 {0}，目标年 {1}）", "Reduction targets (base year {0}, target year {1})");

    public static LocalizedText QuotaUseHeading { get; } = new("能耗总量控制", "Total energy quota");

    public static LocalizedText QuotaBandsHeading { get; } = new("能耗定额对标", "Energy-use quotas");

    public static LocalizedText ScoresHeading { get; } = new("年度考核评价", "Annual assessment");

    public static LocalizedText Institution { get; } = new("单位", "Institution");

    public static LocalizedText BaseValue { get; } = new("基准年值", "Base year");

    public static LocalizedText Achieved { get; } = new("较基准年变化", "Change from base");

    public static LocalizedText RequiredThisYear { get; } = new("本年应达", "Required this year");

    public static LocalizedText RequiredByTarget { get; } = new("目标年应达", "Required by target year");

    public static LocalizedText Met { get; } = new("完成情况", "Attained");

    public static LocalizedText MetYes { get; } = new("达标", "met");

    public static LocalizedText MetNo { get; } = new("未达标", "not met");

    public static LocalizedText MetUnjudged { get; } = new("数据不足", "too little data");

    public static LocalizedText UsedKgce { get; } = new("本年已用（kgce）", "Used this year (kgce)");

    public static LocalizedText AnnualQuota { get; } = new("年度总量（kgce）", "Annual quota (kgce)");

    public static LocalizedText ShareUsed { get; } = new("已用比例", "Share used");

    public static LocalizedText YearElapsed { get; } = new("时间进度", "Share of year elapsed");

    public static LocalizedText Quota { get; } = new("定额标准", "Quota");

    public static LocalizedText Guide { get; } = new("引导值", "Guide");

    public static LocalizedText Baseline { get; } = new("基准值", "Baseline");

    public static LocalizedText Constraint { get; } = new("约束值", "Constraint");

    public static LocalizedText Band { get; } = new("所处区间", "Band");

    public static LocalizedText Score { get; } = new("得分", "Score");

    public static LocalizedText Total { get; } = new("满分", "Out of");

    public static LocalizedText Grade { get; } = new("等级", "Grade");

    public static LocalizedText Veto { get; } = new("一票否决", "Veto");

    public static LocalizedText BandAtOrBelowGuide { get; } = new("达到引导值", "at or below guide");

    public static LocalizedText BandBelowBaseline { get; } = new("引导值至基准值", "guide to baseline");

    public static LocalizedText BandBelowConstraint { get; } = new("基准值至约束值", "baseline to constraint");

    public static LocalizedText BandAboveConstraint { get; } = new("超过约束值", "above constraint");

    public static LocalizedText SavingsItem { get; } = new("项目", "Item");

    public static LocalizedText SavingsValue { get; } = new("数值", "Value");

    public static LocalizedText SavingsBaselinePeriod { get; } = new("基准期", "Baseline period");

    public static LocalizedText SavingsModel { get; } = new("基准模型（CalTRACK 日模型）", "Model (CalTRACK daily)");

    public static LocalizedText SavingsGuideline14 { get; } = new("ASHRAE Guideline 14 检验", "ASHRAE Guideline 14");

    public static LocalizedText SavingsPass { get; } = new("通过", "pass");

    public static LocalizedText SavingsFail { get; } = new("未通过", "fail");

    public static LocalizedText SavingsPredicted { get; } = new("基准预测用电（kWh）", "Predicted (kWh)");

    public static LocalizedText SavingsActual { get; } = new("实际用电（kWh）", "Actual (kWh)");

    public static LocalizedText SavingsAvoided { get; } = new("节约电量（kWh）", "Avoided (kWh)");

    public static LocalizedText SavingsFraction { get; } = new("节能率 ± 不确定度（90 %）", "Savings ± uncertainty (90 %)");

    public static LocalizedText SavingsNote { get; } = new("说明", "Note");

    public static LocalizedText Yuan { get; } = new("元", " yuan");

    /// <summary>Where a value stands against its quota, as the quota table says it.</summary>
    public static LocalizedText BandName(Analytics.Quotas.QuotaBand band) => band switch
    {
        Analytics.Quotas.QuotaBand.AtOrBelowGuide => BandAtOrBelowGuide,
        Analytics.Quotas.QuotaBand.BelowBaseline => BandBelowBaseline,
        Analytics.Quotas.QuotaBand.BelowConstraint => BandBelowConstraint,
        _ => BandAboveConstraint,
    };

    // Built after the entries above exist: a nested class is initialised on first use, not with its outer class.
    private static class ForTemplates
    {
        public static readonly IReadOnlyDictionary<string, string> Chinese = LocalizedCatalogue.In(typeof(ReportLabels), Language.Chinese);
        public static readonly IReadOnlyDictionary<string, string> English = LocalizedCatalogue.In(typeof(ReportLabels), Language.English);
    }
}
