using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Web.Pages;

/// <summary>The officers' pages' words: submission, rankings, scorecard, savings, meters and the energy flow.</summary>
public static partial class ConsoleText
{
    public static LocalizedText Submission { get; } = new("统计报送", "Submission");

    public static LocalizedText Year { get; } = new("年度", "Year");

    public static LocalizedText Show { get; } = new("查看", "Show");

    public static LocalizedText ReviewState { get; } = new("审核结果", "Review");

    public static LocalizedText ReviewClean { get; } = new("通过", "clean");

    public static LocalizedText ReviewBlocked { get; } = new("未通过", "blocked");

    public static LocalizedText Errors { get; } = new("错误", "errors");

    public static LocalizedText Warnings { get; } = new("提示", "warnings");

    public static LocalizedText TotalEnergy { get; } = new("综合能耗合计", "Total energy");

    public static LocalizedText Edition { get; } = new("报表版本", "Forms edition");

    public static LocalizedText Export { get; } = new("导出", "Export");

    public static LocalizedText ExportBlocked { get; } = new("审核通过后方可导出 JSON、CSV、XLSX。", "JSON, CSV and XLSX once the review is clean.");

    public static LocalizedText PerAreaShort { get; } = new("单位面积能耗", "per m²");

    public static LocalizedText PerPersonShort { get; } = new("人均能耗", "per person");

    public static LocalizedText NoFindings { get; } = new("无审核发现。", "No findings.");

    public static LocalizedText Level { get; } = new("级别", "Level");

    public static LocalizedText Field { get; } = new("字段", "Field");

    public static LocalizedText Value { get; } = new("数值", "Value");

    public static LocalizedText Rule { get; } = new("规则", "Rule");

    public static LocalizedText Fix { get; } = new("处理", "Fix");

    public static LocalizedText Explanation { get; } = new("说明", "Explanation");

    public static LocalizedText Error { get; } = new("错误", "error");

    public static LocalizedText Explained { get; } = new("已说明", "explained");

    public static LocalizedText ExplainHint { get; } = new("说明原因，如：用能人数含在校学生", "Why, e.g. the occupants count the pupils");

    public static LocalizedText SaveExplanation { get; } = new("保存说明", "Save");

    public static LocalizedText MustFix { get; } = new("须修正，不能以说明代替", "must be fixed; a reason cannot lift it");

    public static LocalizedText Rankings { get; } = new("能耗排名", "Rankings");

    public static LocalizedText RankBy { get; } = new("排名指标", "Rank by");

    public static LocalizedText YearToDate { get; } = new("本年尚未结束，统计至", "The year is not over: counted to");

    public static LocalizedText PeerNote { get; } = new("同类百分位（1–100，越高越节能）仿照 ENERGY STAR Portfolio Manager 评分，但只与本平台内单位性质和气候区相同的单位比较，不是全国样本。", "The peer score (1–100, higher uses less) follows the spirit of ENERGY STAR Portfolio Manager's, but compares only with this site's institutions of the same nature and climate zone, not a national survey.");

    public static LocalizedText Coefficients { get; } = new("折标系数", "Coefficients");

    public static LocalizedText Institutions { get; } = new("单位", "Institutions");

    public static LocalizedText Rank { get; } = new("名次", "Rank");

    public static LocalizedText PeerGroup { get; } = new("单位性质 · 气候区", "Nature · climate zone");

    public static LocalizedText PeerScore { get; } = new("同类百分位", "Peer score");

    public static LocalizedText Peers { get; } = new("家同类", "peers");

    public static LocalizedText TooFewPeers { get; } = new("同类不足 3 家", "fewer than 3 peers");

    public static LocalizedText AgainstBaseYear { get; } = new("较基准年", "Against base year");

    public static LocalizedText AgainstQuota { get; } = new("能耗定额", "Against quota");

    public static LocalizedText Since { get; } = new("基准年", "since");

    public static LocalizedText Target { get; } = new("目标", "target");

    public static LocalizedText NoBaseYear { get; } = new("未设基准年", "no base year");

    public static LocalizedText Guide { get; } = new("引导值", "guide");

    public static LocalizedText Ceiling { get; } = new("约束值", "ceiling");

    public static LocalizedText NoQuota { get; } = new("本地区未配置适用定额", "no quota applies here");

    public static LocalizedText PartialData { get; } = new("（数据不全）", "(partial data)");

    public static LocalizedText Scorecard { get; } = new("考核评价", "Scorecard");

    public static LocalizedText NoScheme { get; } = new("未配置考核细则（scorecard.yaml）。", "No assessment scheme is configured (scorecard.yaml).");

    public static LocalizedText Score { get; } = new("得分", "Score");

    public static LocalizedText Grade { get; } = new("等级", "Grade");

    public static LocalizedText LastYearScore { get; } = new("上年得分", "Last year");

    public static LocalizedText Change { get; } = new("变化", "Change");

    public static LocalizedText Veto { get; } = new("一票否决", "Veto");

    public static LocalizedText NotesCount { get; } = new("条说明", "notes");

    public static LocalizedText Items { get; } = new("考核项目", "Items");

    public static LocalizedText Points { get; } = new("分值", "Points");

    public static LocalizedText Evidence { get; } = new("依据", "Evidence");

    public static LocalizedText Occupants { get; } = new("用能人数", "Occupants");

    public static LocalizedText Quota { get; } = new("定额", "Quota");

    public static LocalizedText Baseline { get; } = new("基准值", "baseline");

    public static LocalizedText Position { get; } = new("位置", "Position");

    public static LocalizedText Notes { get; } = new("说明", "Notes");

    public static LocalizedText Savings { get; } = new("节能量", "Savings");

    public static LocalizedText SavingsIntro { get; } = new("按 CalTRACK 日模型以基准期用量和气温建立基准，换算到报告期的天气，与实际用量之差即节能量（IPMVP 方案 C）。需要建筑配置气象站。", "A CalTRACK daily baseline fitted on the baseline period's use and temperatures, carried to the reporting period's weather; the difference from actual use is the avoided energy (IPMVP Option C). The building needs a weather station.");

    public static LocalizedText WeatherStation { get; } = new("气象站", "Weather station");

    public static LocalizedText NoStation { get; } = new("未配置气象站，不能做气象修正。", "No weather station: use cannot be weather-normalised.");

    public static LocalizedText BaselinePeriod { get; } = new("基准期", "Baseline");

    public static LocalizedText ReportingPeriod { get; } = new("报告期", "Reporting period");

    public static LocalizedText Assess { get; } = new("计算", "Assess");

    public static LocalizedText Avoided { get; } = new("节能量", "Avoided");

    public static LocalizedText Confidence { get; } = new("置信度", "confidence");

    public static LocalizedText PredictedActual { get; } = new("实际 / 基准预测", "Actual / baseline");

    public static LocalizedText AvoidedKgce { get; } = new("折合", "that is");

    public static LocalizedText ModelFit { get; } = new("模型拟合", "Model fit");

    public static LocalizedText PassesGuideline14 { get; } = new("符合 ASHRAE Guideline 14", "meets ASHRAE Guideline 14");

    public static LocalizedText FailsGuideline14 { get; } = new("不符合 Guideline 14", "fails Guideline 14");

    public static LocalizedText BaselineAgainstActual { get; } = new("逐日实际用量与基准", "Daily actual use against the baseline");

    public static LocalizedText Day { get; } = new("日", "day");

    public static LocalizedText ActualUse { get; } = new("报告期逐日实际用量", "Daily use in the reporting period");

    public static LocalizedText AsTable { get; } = new("以表格查看", "As a table");

    public static LocalizedText Actual { get; } = new("实际", "Actual");

    public static LocalizedText Predicted { get; } = new("基准", "Baseline");

    public static LocalizedText NoModel { get; } = new("基准期数据不足，无法建立基准模型、计算节能量（原因见下方说明）；下面只列出报告期的实际用量。", "Not enough baseline data to fit a model and compute savings (the notes below say why); the reporting period's actual use is shown alone.");

    public static LocalizedText MetersPage { get; } = new("表计与数据质量", "Meters and data quality");

    public static LocalizedText QualityHint { get; } = new("本月估算占比：用量中由估算补齐的部分（缺数、换表等）；剔除占比：上报量中超出物理上限而被剔除的部分。估算超过 5 % 或有剔除的表计标为“存疑”。", "Estimated: the part of this month's use filled in by estimation (gaps, exchanges). Rejected: the part of what was reported set aside as impossible. Over 5 % estimated, or anything rejected, marks a meter as suspect.");

    public static LocalizedText NoMeters { get; } = new("没有符合条件的表计。", "No meters match.");

    public static LocalizedText MonthUse { get; } = new("本月用量", "This month");

    public static LocalizedText EstimatedShare { get; } = new("估算占比", "Estimated");

    public static LocalizedText RejectedShare { get; } = new("剔除占比", "Rejected");

    public static LocalizedText Suspect { get; } = new("存疑", "suspect");

    public static LocalizedText Unmetered { get; } = new("子表平衡：未计量部分（总表 − 子表之和），近 30 天", "Sub-metering: the unmetered remainder (parent − sub-meters), last 30 days");

    public static LocalizedText UnmeteredChart { get; } = new("各总表每日未计量占比（%）", "Each parent's daily unmetered share (%)");

    public static LocalizedText ParentMeter { get; } = new("总表", "Parent");

    public static LocalizedText SubMeters { get; } = new("子表", "Sub-meters");

    public static LocalizedText ParentUse { get; } = new("总表用量", "Parent use");

    public static LocalizedText Remainder { get; } = new("未计量", "Unmetered");

    public static LocalizedText Days { get; } = new("天", "days");

    public static LocalizedText Flow { get; } = new("能流图", "Energy flow");

    public static LocalizedText Unit { get; } = new("单位", "Unit");

    public static LocalizedText BadPeriod { get; } = new("期间须为 yyyy-MM 或 yyyy；以下为上月。", "A period is yyyy-MM or yyyy: last month is shown.");

    public static LocalizedText FlowHint { get; } = new("从区域经单位、建筑流向分项。子表的用量计入其总表之内，不重复计算；总表中子表未覆盖的部分记为“未分项”。水没有折标系数，折标时不计入。", "From the region through institutions and buildings to the sub-items. A sub-meter's use is counted inside its parent, never twice; what a parent's sub-meters do not cover shows as \"not sub-metered\". Water has no standard-coal factor and is left out of kgce.");

    public static LocalizedText Total { get; } = new("合计", "Total");

    public static LocalizedText ChildrenExcess { get; } = new("子表读数超过总表：", "Sub-meters read above their parents by");

    public static LocalizedText From { get; } = new("从", "From");

    public static LocalizedText To { get; } = new("到", "To");

    public static LocalizedText ShareOfTotal { get; } = new("占合计", "Of total");

    // Punctuation around the values templates place: full-width in Chinese, with spaces in English.
}
