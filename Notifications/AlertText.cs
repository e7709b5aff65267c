using System.Globalization;
using System.Text;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Notifications;

/// <summary>A message as people read it: a title and a body, in markdown (robots) or plain text (e-mail).</summary>
public sealed record AlertMessage(string Title, string Markdown, string Text);

/// <summary>
/// Words alerts in the configured language (简体中文 by default): what happened, where, since when, the numbers
/// against their expected range, and what to do. Several notifications at once become one digest.
/// </summary>
public sealed class AlertText(SiteModel site, string language)
{
    private static readonly Dictionary<string, string> EvidenceZh = new(StringComparer.Ordinal)
    {
        ["hours without a reading"] = "无数据时长",
        ["silent meters"] = "离线表计",
        ["flat hours"] = "读数不变时长",
        ["rejected use"] = "被剔除的跳变量",
        ["hourly use"] = "小时用量",
        ["counter resets"] = "读数回落次数",
        ["hours with bad readings"] = "无效读数小时数",
        ["nights"] = "连续夜数",
        ["lowest night flow"] = "夜间最小流量（最低）",
        ["last night's minimum flow"] = "昨夜最小流量",
        ["night mean use"] = "夜间平均用电",
        ["night share of the day's mean hour"] = "夜间占全天平均比例",
        ["day-off use"] = "休息日用电",
        ["share of a working day"] = "相当于工作日比例",
        ["excess"] = "超出正常的用量",
        ["building night mean use"] = "楼栋夜间平均用电",
        ["building night share of the day's mean hour"] = "楼栋夜间占全天平均比例",
        ["building day-off use"] = "楼栋休息日用电",
        ["building share of a working day"] = "楼栋相当于工作日比例",
        ["building excess"] = "楼栋超出正常的用量",
        ["parent"] = "总表",
        ["children"] = "分表合计",
        ["unmetered share"] = "未分项计量占比",
        ["month to date"] = "本月已用",
        ["forecast for the month"] = "本月预测",
        ["monthly budget"] = "月度额度",
    };

    private bool Zh => !language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    public AlertMessage Single(Notification notification)
    {
        var a = notification.Alert;
        var f = a.Finding;
        var recovered = notification.Kind == NotificationKind.Recovered;
        var title = recovered
            ? (Zh ? $"【已恢复】{f.Summary.Zh}" : $"[Recovered] {f.Summary.En}")
            : (Zh ? $"【{Severity(f.Severity)}】{f.Summary.Zh}" : $"[{Severity(f.Severity)}] {f.Summary.En}");
        var md = new StringBuilder();
        var text = new StringBuilder();
        md.Append("### ").Append(recovered ? "✅ " : Icon(f.Severity)).AppendLine(title);
        text.AppendLine(title).AppendLine();
        foreach (var line in Place(a, recovered))
        {
            md.Append("> ").AppendLine(line);
            text.AppendLine(line);
        }

        if (!recovered)
        {
            md.AppendLine().AppendLine(Zh ? "**依据**" : "**Evidence**");
            text.AppendLine().AppendLine(Zh ? "依据：" : "Evidence:");
            foreach (var e in f.Evidence)
            {
                var line = EvidenceLine(e);
                md.Append("- ").AppendLine(line);
                text.Append("- ").AppendLine(line);
            }

            var action = f.Action.In(language);
            md.AppendLine().Append(Zh ? "**建议**：" : "**Action**: ").AppendLine(action);
            text.AppendLine().Append(Zh ? "建议：" : "Action: ").AppendLine(action);
        }

        var footer = Zh ? $"告警编号 #{a.Id} · 规则 {f.Rule}" : $"Alert #{a.Id} · rule {f.Rule}";
        md.AppendLine().Append("<font color=\"comment\">").Append(footer).AppendLine("</font>");
        text.AppendLine().AppendLine(footer);
        return new AlertMessage(title, md.ToString(), text.ToString());
    }

    public AlertMessage Digest(IReadOnlyList<Notification> notifications)
    {
        var raised = notifications.Count(n => n.Kind == NotificationKind.Raised);
        var recovered = notifications.Count - raised;
        var title = Zh ? $"能耗告警汇总：{raised} 条新告警，{recovered} 条已恢复" : $"Alert digest: {raised} raised, {recovered} recovered";
        var md = new StringBuilder().Append("### ").AppendLine(title);
        var text = new StringBuilder().AppendLine(title).AppendLine();
        foreach (var n in notifications.OrderByDescending(n => n.Kind == NotificationKind.Raised).ThenByDescending(n => n.Alert.Finding.Severity))
        {
            var f = n.Alert.Finding;
            var mark = n.Kind == NotificationKind.Recovered ? (Zh ? "已恢复" : "recovered") : Severity(f.Severity);
            var line = $"[{mark}] {f.Summary.In(language)} (#{n.Alert.Id})";
            md.Append("- ").AppendLine(line);
            text.Append("- ").AppendLine(line);
        }

        var tail = Zh ? "告警较多，已合并发送；详情见 energymonitor alerts list 或 Web 控制台。" : "Alerts were many, so they come as one message; see energymonitor alerts list or the web console.";
        md.AppendLine().AppendLine(tail);
        text.AppendLine().AppendLine(tail);
        return new AlertMessage(title, md.ToString(), text.ToString());
    }

    private IEnumerable<string> Place(Alert a, bool recovered)
    {
        var f = a.Finding;
        var building = site.Buildings.FirstOrDefault(b => b.Id == f.Building);
        var institution = site.Institutions.FirstOrDefault(i => i.Id == f.Institution) ?? site.Institutions.FirstOrDefault(i => i.Buildings.Any(b => b.Id == f.Building));
        if (institution is not null || building is not null)
        {
            yield return Zh
                ? $"单位：{institution?.Name ?? "—"}　建筑：{building?.Name ?? "—"}"
                : $"Institution: {institution?.Name ?? "—"}  Building: {building?.Name ?? "—"}";
        }

        if (f.Meter is { } meter)
        {
            var name = site.Meters.FirstOrDefault(m => m.Id.Value == meter)?.Name;
            yield return Zh ? $"表计：{name ?? meter}（{meter}）" : $"Meter: {name ?? meter} ({meter})";
        }

        yield return Zh ? $"开始：{Local(f.Since)}" : $"Since: {Local(f.Since)}";
        if (recovered && a.ResolvedAt is { } resolved)
        {
            yield return Zh ? $"恢复：{Local(resolved)}" : $"Cleared: {Local(resolved)}";
        }
    }

    private string EvidenceLine(Evidence e)
    {
        var name = Zh && EvidenceZh.TryGetValue(e.Name, out var zh) ? zh : e.Name;
        var value = e.Value.ToString(Math.Abs(e.Value) >= 1000 ? "N0" : "0.####", CultureInfo.InvariantCulture);
        var unit = e.Unit.Length > 0 ? " " + e.Unit : "";
        return e.Expected is { } expected
            ? (Zh ? $"{name}：{value}{unit}（正常 {expected}）" : $"{name}: {value}{unit} (expected {expected})")
            : (Zh ? $"{name}：{value}{unit}" : $"{name}: {value}{unit}");
    }

    private string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private string Severity(AlertSeverity severity) => (severity, Zh) switch
    {
        (AlertSeverity.Critical, true) => "严重",
        (AlertSeverity.Warning, true) => "警告",
        (_, true) => "提示",
        (AlertSeverity.Critical, false) => "Critical",
        (AlertSeverity.Warning, false) => "Warning",
        _ => "Info",
    };

    private static string Icon(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "🔴 ",
        AlertSeverity.Warning => "🟠 ",
        _ => "🔵 ",
    };
}
