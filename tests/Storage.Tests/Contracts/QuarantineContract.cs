using System.Text;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Contracts;

/// <summary>What every <see cref="IQuarantine"/> keeps and answers; each test asks for a fresh, empty one.</summary>
public abstract class QuarantineContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IQuarantine> CreateEmptyAsync();

    /// <summary>The reason column of the message on <paramref name="topic"/> as the database holds it.</summary>
    protected abstract Task<object?> StoredReasonAsync(string topic);

    [Fact]
    public async Task Every_reason_is_kept_by_name_and_a_listing_can_ask_for_one()
    {
        var store = await CreateEmptyAsync();
        var reasons = Enum.GetValues<QuarantineReason>();

        await store.AddAsync([.. reasons.Select((r, i) => new QuarantineEntry("broker", $"t/{i}", Encoding.UTF8.GetBytes("{}"), r, r.ToString(), T0.AddSeconds(i)))], Ct);

        Assert.Equal(reasons, (await store.ListAsync(Ct)).Select(m => m.Reason));
        Assert.Equal("t/" + Array.IndexOf(reasons, QuarantineReason.UnknownMeter), Assert.Single(await store.ListAsync(Ct, QuarantineReason.UnknownMeter)).Topic);

        // By name, not by number: renumbering the enumeration would not change what a stored row means.
        Assert.Equal(reasons[0].ToString(), await StoredReasonAsync("t/0"));
    }

    [Fact]
    public async Task A_replay_that_still_fails_records_the_new_reason()
    {
        var store = await CreateEmptyAsync();
        await store.AddAsync([new QuarantineEntry("broker", "t", Encoding.UTF8.GetBytes("x"), QuarantineReason.UnmatchedTopic, "no mapping", T0)], Ct);
        var kept = Assert.Single(await store.ListAsync(Ct));

        await store.UpdateReasonAsync(kept.Id, QuarantineReason.NotANumber, "\"x\" is not a number", Ct);

        var now = Assert.Single(await store.ListAsync(Ct));
        Assert.Equal((QuarantineReason.NotANumber, "\"x\" is not a number"), (now.Reason, now.Detail));
    }

    [Fact]
    public async Task A_replayed_message_is_removed_and_the_others_stay_with_their_payload()
    {
        var store = await CreateEmptyAsync();
        await store.AddAsync([.. Enumerable.Range(0, 3).Select(i => new QuarantineEntry("broker", $"t/{i}", new byte[] { 0, (byte)i, 0xFF }, QuarantineReason.NotANumber, "x", T0.AddSeconds(i)))], Ct);
        var kept = await store.ListAsync(Ct);

        await store.RemoveAsync([kept[0].Id, kept[2].Id], Ct);

        var left = Assert.Single(await store.ListAsync(Ct));
        Assert.Equal(("t/1", T0.AddSeconds(1)), (left.Topic, left.Received));
        Assert.Equal(new byte[] { 0, 1, 0xFF }, left.Payload.ToArray());
    }
}
