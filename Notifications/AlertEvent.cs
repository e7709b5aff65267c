using System.Text.Json;
using System.Text.Json.Serialization;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Notifications;

/// <summary>
/// The JSON an alert is published as (webhook, MQTT): a versioned, documented contract (docs/ALERTS.md). Field names
/// are stable; numbers keep their units beside them.
/// </summary>
public static class AlertEvent
{
    public const int Version = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static object Of(Notification n)
    {
        var a = n.Alert;
        var f = a.Finding;
        return new
        {
            version = Version,
            notification = n.Id,
            kind = n.Kind == NotificationKind.Raised ? "raised" : "recovered",
            alert = a.Id,
            rule = f.Rule,
            subject = f.Subject,
            severity = f.Severity.ToString().ToLowerInvariant(),
            state = a.State.ToString().ToLowerInvariant(),
            meter = f.Meter,
            building = f.Building,
            institution = f.Institution,
            since = f.Since,
            openedAt = a.OpenedAt,
            resolvedAt = a.ResolvedAt,
            evidence = f.Evidence.Select(e => new { name = e.Name.En, label = new { zh = e.Name.Zh, en = e.Name.En }, value = e.Value, unit = e.Unit, expected = e.Expected }),
            summary = new { zh = f.Summary.Zh, en = f.Summary.En },
            action = new { zh = f.Action.Zh, en = f.Action.En },
        };
    }

    public static string Serialize(IReadOnlyList<Notification> notifications) =>
        JsonSerializer.Serialize(new { version = Version, events = notifications.Select(Of) }, Options);

    public static string Serialize(Notification notification) => JsonSerializer.Serialize(Of(notification), Options);
}
