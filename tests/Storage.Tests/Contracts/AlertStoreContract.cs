using System.Data.Common;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IAlertStore"/> does: alerts persist with their notifications; each channel's queue is drained
/// independently; the database keeps one active alert per condition. Each test asks for a fresh, empty store.
/// </summary>
public abstract class AlertStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 3, 7, 0, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Finding Leak(double flow = 0.2) =>
        new("night-leak", "w1", AlertSeverity.Warning, "w1", "b1", "i1", T0.AddDays(-2), [new Evidence(new LocalizedText("夜间最小流量（最低）", "lowest night flow"), flow, "m3/h", "≤ 0.01")],
            new LocalizedText("疑似漏水", "Possible leak"), new LocalizedText("检查水箱", "Check the cisterns"));

    protected abstract Task<IAlertStore> CreateEmptyAsync();

    private Task<IAlertStore> StoreAsync() => CreateEmptyAsync();

    [Fact]
    public async Task A_raised_alert_queues_one_notification_per_channel_and_each_channel_drains_its_own()
    {
        var store = await StoreAsync();
        await store.ApplyAsync([new AlertChange.Raise(Leak(), T0, ["wecom", "webhook"])], Ct);

        var wecom = await store.DueAsync("wecom", T0, 10, Ct);
        var webhook = await store.DueAsync("webhook", T0, 10, Ct);
        Assert.Single(wecom);
        Assert.Single(webhook);
        Assert.Equal("疑似漏水", wecom[0].Alert.Finding.Summary.Zh);
        Assert.Equal(0.2, wecom[0].Alert.Finding.Evidence[0].Value);

        await store.MarkFailedAsync([wecom[0].Id], "errcode 45009", T0.AddMinutes(1), Ct);
        await store.MarkDeliveredAsync([webhook[0].Id], T0, Ct);

        Assert.Empty(await store.DueAsync("wecom", T0.AddSeconds(30), 10, Ct)); // waiting for its retry
        Assert.Equal(1, Assert.Single(await store.DueAsync("wecom", T0.AddMinutes(1), 10, Ct)).Attempts);
        Assert.Empty(await store.DueAsync("webhook", T0.AddDays(1), 10, Ct));
        var backlog = await store.BacklogAsync(Ct);
        Assert.Equal(1, backlog["wecom"].Pending);
        Assert.False(backlog.ContainsKey("webhook"));
    }

    [Fact]
    public async Task Refresh_keeps_the_newest_evidence_and_resolve_queues_the_recovery_once()
    {
        var store = await StoreAsync();
        await store.ApplyAsync([new AlertChange.Raise(Leak(), T0, ["webhook"])], Ct);
        var id = (await store.CurrentAsync(T0, Ct))[0].Id;

        await store.ApplyAsync([new AlertChange.Refresh(id, Leak(0.35), T0.AddHours(1))], Ct);
        Assert.True(await store.AcknowledgeAsync(id, "王工", T0.AddHours(2), Ct));
        await store.ApplyAsync([new AlertChange.Resolve(id, T0.AddDays(1), ["webhook"]), new AlertChange.Resolve(id, T0.AddDays(1), ["webhook"])], Ct);

        var alert = (await store.GetAsync(id, Ct))!;
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal("王工", alert.AcknowledgedBy);
        Assert.Equal(0.35, alert.Finding.Evidence[0].Value);
        var due = await store.DueAsync("webhook", T0.AddDays(2), 10, Ct);
        Assert.Equal([NotificationKind.Raised, NotificationKind.Recovered], due.Select(n => n.Kind));
        Assert.False(await store.AcknowledgeAsync(id, "王工", T0.AddDays(2), Ct)); // resolved: nothing to acknowledge
    }

    [Fact]
    public async Task The_database_refuses_a_second_active_alert_for_one_condition()
    {
        var store = await StoreAsync();
        await store.ApplyAsync([new AlertChange.Raise(Leak(), T0, [])], Ct);

        await Assert.ThrowsAnyAsync<DbException>(() => store.ApplyAsync([new AlertChange.Raise(Leak(), T0.AddHours(1), ["webhook"])], Ct));
        Assert.Single(await store.ListAsync(new AlertQuery(), Ct));
        Assert.Empty(await store.DueAsync("webhook", T0.AddDays(1), 10, Ct)); // the failed pass queued nothing
    }

    [Fact]
    public async Task A_listing_filters_by_building_severity_and_activity_and_a_resolved_condition_may_be_raised_again()
    {
        var store = await StoreAsync();
        await store.ApplyAsync([new AlertChange.Raise(Leak(), T0, ["webhook"])], Ct);
        var first = (await store.CurrentAsync(T0, Ct))[0].Id;
        await store.ApplyAsync([new AlertChange.Resolve(first, T0.AddHours(1), [])], Ct);
        await store.ApplyAsync([new AlertChange.Raise(Leak(0.4), T0.AddDays(1), ["webhook"])], Ct);

        Assert.Equal(2, (await store.ListAsync(new AlertQuery(), Ct)).Count);
        var active = Assert.Single(await store.ListAsync(new AlertQuery { ActiveOnly = true }, Ct));
        Assert.Equal(0.4, active.Finding.Evidence[0].Value);
        Assert.Empty(await store.ListAsync(new AlertQuery { Building = "elsewhere" }, Ct));
        Assert.Empty(await store.ListAsync(new AlertQuery { MinimumSeverity = AlertSeverity.Critical }, Ct));
        Assert.Single(await store.CurrentAsync(T0.AddHours(2), Ct)); // the resolved one is older than asked
        Assert.Equal(2, (await store.CurrentAsync(T0, Ct)).Count);
    }
}
