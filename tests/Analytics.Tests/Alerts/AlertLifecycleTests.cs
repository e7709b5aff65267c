using EnergyMonitor.Analytics.Alerts;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Analytics.Tests.Alerts;

/// <summary>The lifecycle as worked examples: raise once, stay quiet while it holds, recover once, and no flapping.</summary>
public sealed class AlertLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 3, 7, 0, 0, TimeSpan.FromHours(8));
    private static readonly HashSet<string> Ran = ["night-leak", "silent"];
    private static readonly AlertRoute[] Routes =
    [
        new("wecom-b1", AlertSeverity.Warning, Buildings: ["b1"]),
        new("email-duty", AlertSeverity.Critical),
        new("webhook", AlertSeverity.Info, Rules: ["night-leak"]),
    ];

    private static Finding Leak(AlertSeverity severity = AlertSeverity.Warning, string building = "b1") =>
        new("night-leak", "w1", severity, "w1", building, "i1", T0.AddDays(-2), [new Evidence(new LocalizedText("夜间最小流量（最低）", "lowest night flow"), 0.2, "m3/h", "≤ 0.01")],
            new LocalizedText("疑似漏水", "Possible leak"), new LocalizedText("检查", "Check"));

    private static Alert Kept(long id, Finding f, AlertState state, DateTimeOffset? resolved = null) => new(id, f, state, T0, T0, null, null, resolved);

    [Fact]
    public void A_new_condition_is_raised_once_to_the_channels_its_routes_match()
    {
        var changes = AlertLifecycle.Decide([], [Leak(), Leak()], Ran, T0, AlertPolicy.Default, Routes);

        var raise = Assert.IsType<AlertChange.Raise>(Assert.Single(changes));
        Assert.Equal(["wecom-b1", "webhook"], raise.Channels);
    }

    [Fact]
    public void A_critical_finding_also_reaches_the_critical_route_and_another_building_only_the_rule_route()
    {
        var critical = (AlertChange.Raise)AlertLifecycle.Decide([], [Leak(AlertSeverity.Critical)], Ran, T0, AlertPolicy.Default, Routes)[0];
        var elsewhere = (AlertChange.Raise)AlertLifecycle.Decide([], [Leak(building: "b2")], Ran, T0, AlertPolicy.Default, Routes)[0];

        Assert.Equal(["wecom-b1", "email-duty", "webhook"], critical.Channels);
        Assert.Equal(["webhook"], elsewhere.Channels);
    }

    [Fact]
    public void A_condition_still_holding_refreshes_its_alert_and_notifies_nobody()
    {
        foreach (var state in new[] { AlertState.Open, AlertState.Acknowledged })
        {
            var changes = AlertLifecycle.Decide([Kept(7, Leak(), state)], [Leak()], Ran, T0.AddHours(1), AlertPolicy.Default, Routes);

            Assert.Equal(7, Assert.IsType<AlertChange.Refresh>(Assert.Single(changes)).Id);
        }
    }

    [Fact]
    public void A_condition_that_clears_is_resolved_with_a_recovery_notice_to_the_same_channels()
    {
        var changes = AlertLifecycle.Decide([Kept(7, Leak(), AlertState.Acknowledged)], [], Ran, T0.AddDays(1), AlertPolicy.Default, Routes);

        var resolve = Assert.IsType<AlertChange.Resolve>(Assert.Single(changes));
        Assert.Equal(7, resolve.Id);
        Assert.Equal(["wecom-b1", "webhook"], resolve.Channels);
    }

    [Fact]
    public void An_alert_whose_rule_did_not_run_is_not_resolved()
    {
        Assert.Empty(AlertLifecycle.Decide([Kept(7, Leak(), AlertState.Open)], [], new HashSet<string> { "silent" }, T0.AddDays(1), AlertPolicy.Default, Routes));
    }

    [Fact]
    public void A_condition_back_within_the_cooldown_reopens_silently_and_after_it_is_raised_anew()
    {
        var resolvedAt = T0.AddHours(2);
        var kept = Kept(7, Leak(), AlertState.Resolved, resolvedAt);

        var soon = AlertLifecycle.Decide([kept], [Leak()], Ran, resolvedAt.AddHours(5), AlertPolicy.Default, Routes);
        var later = AlertLifecycle.Decide([kept], [Leak()], Ran, resolvedAt.AddHours(7), AlertPolicy.Default, Routes);

        Assert.Equal(7, Assert.IsType<AlertChange.Reopen>(Assert.Single(soon)).Id);
        Assert.IsType<AlertChange.Raise>(Assert.Single(later));
    }
}
