using System.Text.Json;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Notifications.Tests;

/// <summary>The published JSON is a contract (docs/ALERTS.md): SCADA systems parse these names.</summary>
public sealed class AlertEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    private static Notification Note(NotificationKind kind, DateTimeOffset? resolvedAt = null) =>
        new(11, 7, "bms", kind, T0, 0, new Alert(7,
            new Finding("night-leak", "w1", AlertSeverity.Critical, "w1", "b1", "inst-a", T0.AddDays(-2), [new Evidence(new LocalizedText("夜间最小流量（最低）", "lowest night flow"), 0.21, "m3/h", "≤ 0.01")],
                new LocalizedText("主楼总水表疑似漏水", "Possible leak"), new LocalizedText("请检查卫生间水箱和阀门。", "Check cisterns and valves.")),
            resolvedAt is null ? AlertState.Open : AlertState.Resolved, T0, T0, null, null, resolvedAt));

    [Fact]
    public void A_raised_leak_carries_its_rule_subject_evidence_with_units_and_both_languages()
    {
        using var json = JsonDocument.Parse(AlertEvent.Serialize(Note(NotificationKind.Raised)));
        var e = json.RootElement;

        Assert.Equal(AlertEvent.Version, e.GetProperty("version").GetInt32());
        Assert.Equal("raised", e.GetProperty("kind").GetString());
        Assert.Equal("night-leak", e.GetProperty("rule").GetString());
        Assert.Equal("critical", e.GetProperty("severity").GetString());
        Assert.Equal(0.21, e.GetProperty("evidence")[0].GetProperty("value").GetDouble());
        Assert.Equal("m3/h", e.GetProperty("evidence")[0].GetProperty("unit").GetString());
        Assert.Equal("主楼总水表疑似漏水", e.GetProperty("summary").GetProperty("zh").GetString());
        Assert.Equal("Possible leak", e.GetProperty("summary").GetProperty("en").GetString());
        Assert.False(e.TryGetProperty("resolvedAt", out _)); // absent, not null, while open
    }

    [Fact]
    public void A_recovery_says_so_and_when()
    {
        using var json = JsonDocument.Parse(AlertEvent.Serialize(Note(NotificationKind.Recovered, T0.AddHours(5))));

        Assert.Equal("recovered", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("resolved", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(T0.AddHours(5), json.RootElement.GetProperty("resolvedAt").GetDateTimeOffset());
    }

    [Fact]
    public void A_batch_is_one_versioned_envelope_of_events_in_order()
    {
        using var json = JsonDocument.Parse(AlertEvent.Serialize([Note(NotificationKind.Raised), Note(NotificationKind.Recovered, T0.AddHours(1))]));

        Assert.Equal(["raised", "recovered"], json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }
}
