using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Notifications;

/// <summary>The words of alert messages around a finding's own summary, action and evidence.</summary>
public static class AlertWords
{
    public static LocalizedText Evidence { get; } = new("依据", "Evidence");

    public static LocalizedText Action { get; } = new("建议", "Action");

    /// <summary>The colon after a label: full-width in Chinese.</summary>
    public static LocalizedText Colon { get; } = new("：", ": ");

    public static LocalizedText Recovered { get; } = new("已恢复", "recovered");

    public static LocalizedText DigestTail { get; } = new("告警较多，已合并发送；详情见 energymonitor alerts list 或 Web 控制台。", "Alerts were many, so they come as one message; see energymonitor alerts list or the web console.");

    public static LocalizedText NoAlerts { get; } = new("没有告警", "no alerts");

    /// <summary>Where an alert stands, with who acknowledged it.</summary>
    public static LocalizedText State(AlertState state, string? acknowledgedBy) => state switch
    {
        AlertState.Open => new("未处理", "open"),
        AlertState.Acknowledged => new($"已确认：{acknowledgedBy}", $"acknowledged by {acknowledgedBy}"),
        _ => new("已恢复", "resolved"),
    };

    public static LocalizedText Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => new("严重", "Critical"),
        AlertSeverity.Warning => new("警告", "Warning"),
        _ => new("提示", "Info"),
    };

    public static LocalizedText Title(string severity, string summary) => new($"【{severity}】{summary}", $"[{severity}] {summary}");

    public static LocalizedText RecoveredTitle(string summary) => new($"【已恢复】{summary}", $"[Recovered] {summary}");

    public static LocalizedText Footer(long alert, string rule) => new($"告警编号 #{alert} · 规则 {rule}", $"Alert #{alert} · rule {rule}");

    public static LocalizedText DigestTitle(int raised, int recovered) => new($"能耗告警汇总：{raised} 条新告警，{recovered} 条已恢复", $"Alert digest: {raised} raised, {recovered} recovered");

    public static LocalizedText Place(string institution, string building) => new($"单位：{institution}　建筑：{building}", $"Institution: {institution}  Building: {building}");

    public static LocalizedText Meter(string name, string id) => new($"表计：{name}（{id}）", $"Meter: {name} ({id})");

    public static LocalizedText Since(string time) => new($"开始：{time}", $"Since: {time}");

    public static LocalizedText Cleared(string time) => new($"恢复：{time}", $"Cleared: {time}");

    public static LocalizedText EvidenceValue(string name, string value) => new($"{name}：{value}", $"{name}: {value}");

    public static LocalizedText EvidenceWithExpected(string name, string value, string expected) => new($"{name}：{value}（正常 {expected}）", $"{name}: {value} (expected {expected})");
}
