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
public sealed class AlertText(SiteModel site, Language language)
{
    public AlertMessage Single(Notification notification)
    {
        var a = notification.Alert;
        var f = a.Finding;
        var recovered = notification.Kind == NotificationKind.Recovered;
        var title = T(recovered ? AlertWords.RecoveredTitle(f.Summary.In(language)) : AlertWords.Title(Severity(f.Severity), f.Summary.In(language)));
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
            md.AppendLine().Append("**").Append(T(AlertWords.Evidence)).AppendLine("**");
            text.AppendLine().Append(T(AlertWords.Evidence)).AppendLine(T(AlertWords.Colon));
            foreach (var e in f.Evidence)
            {
                var line = EvidenceLine(e);
                md.Append("- ").AppendLine(line);
                text.Append("- ").AppendLine(line);
            }

            var action = f.Action.In(language);
            md.AppendLine().Append("**").Append(T(AlertWords.Action)).Append("**").Append(T(AlertWords.Colon)).AppendLine(action);
            text.AppendLine().Append(T(AlertWords.Action)).Append(T(AlertWords.Colon)).AppendLine(action);
        }

        var footer = T(AlertWords.Footer(a.Id, f.Rule));
        md.AppendLine().Append("<font color=\"comment\">").Append(footer).AppendLine("</font>");
        text.AppendLine().AppendLine(footer);
        return new AlertMessage(title, md.ToString(), text.ToString());
    }

    public AlertMessage Digest(IReadOnlyList<Notification> notifications)
    {
        var raised = notifications.Count(n => n.Kind == NotificationKind.Raised);
        var recovered = notifications.Count - raised;
        var title = T(AlertWords.DigestTitle(raised, recovered));
        var md = new StringBuilder().Append("### ").AppendLine(title);
        var text = new StringBuilder().AppendLine(title).AppendLine();
        foreach (var n in notifications.OrderByDescending(n => n.Kind == NotificationKind.Raised).ThenByDescending(n => n.Alert.Finding.Severity))
        {
            var f = n.Alert.Finding;
            var mark = n.Kind == NotificationKind.Recovered ? T(AlertWords.Recovered) : Severity(f.Severity);
            var line = $"[{mark}] {f.Summary.In(language)} (#{n.Alert.Id})";
            md.Append("- ").AppendLine(line);
            text.Append("- ").AppendLine(line);
        }

        var tail = T(AlertWords.DigestTail);
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
            yield return T(AlertWords.Place(institution?.Name ?? "—", building?.Name ?? "—"));
        }

        if (f.Meter is { } meter)
        {
            var name = site.Meters.FirstOrDefault(m => m.Id.Value == meter)?.Name;
            yield return T(AlertWords.Meter(name ?? meter, meter));
        }

        yield return T(AlertWords.Since(Local(f.Since)));
        if (recovered && a.ResolvedAt is { } resolved)
        {
            yield return T(AlertWords.Cleared(Local(resolved)));
        }
    }

    private string EvidenceLine(Evidence e)
    {
        var name = e.Name.In(language);
        var value = e.Value.ToString(Math.Abs(e.Value) >= 1000 ? "N0" : "0.####", CultureInfo.InvariantCulture);
        var unit = e.Unit.Length > 0 ? " " + e.Unit : "";
        return T(e.Expected is { } expected ? AlertWords.EvidenceWithExpected(name, value + unit, expected) : AlertWords.EvidenceValue(name, value + unit));
    }

    private string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private string Severity(AlertSeverity severity) => T(AlertWords.Severity(severity));

    private string T(LocalizedText text) => text.In(language);

    private static string Icon(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "🔴 ",
        AlertSeverity.Warning => "🟠 ",
        _ => "🔵 ",
    };
}
