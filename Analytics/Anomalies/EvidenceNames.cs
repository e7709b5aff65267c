using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// The names of the numbers behind findings, in both languages. A rule names its evidence from here, and a rule that
/// reads another's evidence (the baseload rules read "excess") compares with the same member, so rewording a name
/// changes it everywhere and loses neither language.
/// </summary>
public static class EvidenceNames
{
    public static LocalizedText HoursWithoutReading { get; } = new("无数据时长", "hours without a reading");

    public static LocalizedText SilentMeters { get; } = new("离线表计", "silent meters");

    public static LocalizedText FlatHours { get; } = new("读数不变时长", "flat hours");

    public static LocalizedText HoursWithUseOfRelatedMeters { get; } = new("关联表计有用量的小时占比", "hours with use (related meters)");

    public static LocalizedText HoursWithUseInOwnHistory { get; } = new("历史有用量的小时占比", "hours with use (own history)");

    public static LocalizedText RejectedUse { get; } = new("被剔除的跳变量", "rejected use");

    public static LocalizedText HourlyUse { get; } = new("小时用量", "hourly use");

    public static LocalizedText CounterResets { get; } = new("读数回落次数", "counter resets");

    public static LocalizedText HoursWithBadReadings { get; } = new("无效读数小时数", "hours with bad readings");

    public static LocalizedText Nights { get; } = new("连续夜数", "nights");

    public static LocalizedText LowestNightFlow { get; } = new("夜间最小流量（最低）", "lowest night flow");

    public static LocalizedText LastNightMinimumFlow { get; } = new("昨夜最小流量", "last night's minimum flow");

    public static LocalizedText NightMeanUse { get; } = new("夜间平均用电", "night mean use");

    public static LocalizedText NightShareOfDayMeanHour { get; } = new("夜间占全天平均比例", "night share of the day's mean hour");

    public static LocalizedText DayOffUse { get; } = new("休息日用电", "day-off use");

    public static LocalizedText ShareOfWorkingDay { get; } = new("相当于工作日比例", "share of a working day");

    public static LocalizedText Excess { get; } = new("超出正常的用量", "excess");

    public static LocalizedText Parent { get; } = new("总表", "parent");

    public static LocalizedText Children { get; } = new("分表合计", "children");

    public static LocalizedText UnmeteredShare { get; } = new("未分项计量占比", "unmetered share");

    public static LocalizedText MonthToDate { get; } = new("本月已用", "month to date");

    public static LocalizedText ForecastForMonth { get; } = new("本月预测", "forecast for the month");

    public static LocalizedText MonthlyBudget { get; } = new("月度额度", "monthly budget");

    /// <summary>A circuit's share of a building's excess, named by the circuit's meter id.</summary>
    public static LocalizedText ShareOfExcess(string meter) => new($"占超出量的比例：{meter}", $"share of the excess: {meter}");

    /// <summary>What a fault did to its parent's balance: the parent's unmetered share, folded into the child's alert.</summary>
    public static LocalizedText ParentOutOfBalance(string parent) => new($"由此导致总表 {parent} 未分项计量占比", $"so {parent}'s unmetered share");

    /// <summary>The use a register that stood or went silent showed at once when it came back.</summary>
    public static LocalizedText CaughtUp { get; } = new("恢复后一次补计的用量", "use caught up at once");

    /// <summary>A day off's use above its usual level, folded into the finding that explains it.</summary>
    public static LocalizedText DayOffExcess { get; } = new("休息日用电超出正常", "day-off use above usual");

    /// <summary>The night's use above its usual level, folded into the finding that explains it.</summary>
    public static LocalizedText NightExcess { get; } = new("夜间用电超出正常", "night use above usual");

    /// <summary>A burst on a sub-meter seen on its parent's feeder too.</summary>
    public static LocalizedText ParentSpike(string parent) => new($"总表 {parent} 同时段用量", $"{parent} in the same hour");

    /// <summary>The share of a building's excess that loads no sub-meter measures account for.</summary>
    public static LocalizedText ShareOfExcessUnmetered { get; } = new("占超出量的比例：未分项计量部分", "share of the excess: not sub-metered");

    /// <summary>The building's own number, kept as context when a finding is raised on the circuit that explains it.</summary>
    public static LocalizedText OfBuilding(LocalizedText name) => new($"楼栋{name.Zh}", $"building {name.En}");
}
