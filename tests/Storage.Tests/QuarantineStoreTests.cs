using System.Text;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Tests;

public sealed class QuarantineStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_reason_is_kept_by_name_and_a_listing_can_ask_for_one()
    {
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File("q.db") }, Ct);
        var store = new QuarantineStore(database);
        var reasons = Enum.GetValues<QuarantineReason>();

        await store.AddAsync([.. reasons.Select((r, i) => new QuarantineEntry("broker", $"t/{i}", Encoding.UTF8.GetBytes("{}"), r, r.ToString(), T0.AddSeconds(i)))], Ct);

        Assert.Equal(reasons, (await store.ListAsync(Ct)).Select(m => m.Reason));
        Assert.Equal("t/" + Array.IndexOf(reasons, QuarantineReason.UnknownMeter), Assert.Single(await store.ListAsync(Ct, QuarantineReason.UnknownMeter)).Topic);

        // By name, not by number: renumbering the enumeration would not change what a stored row means.
        await using var connection = new SqliteConnection($"Data Source={_dir.File("q.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT reason FROM quarantine WHERE topic = 't/0'";
        Assert.Equal(reasons[0].ToString(), await query.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_replay_that_still_fails_records_the_new_reason()
    {
        var store = new QuarantineStore(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File("r.db") }, Ct));
        await store.AddAsync([new QuarantineEntry("broker", "t", Encoding.UTF8.GetBytes("x"), QuarantineReason.UnmatchedTopic, "no mapping", T0)], Ct);
        var kept = Assert.Single(await store.ListAsync(Ct));

        await store.UpdateReasonAsync(kept.Id, QuarantineReason.NotANumber, "\"x\" is not a number", Ct);

        var now = Assert.Single(await store.ListAsync(Ct));
        Assert.Equal((QuarantineReason.NotANumber, "\"x\" is not a number"), (now.Reason, now.Detail));
    }

    public void Dispose() => _dir.Dispose();
}
