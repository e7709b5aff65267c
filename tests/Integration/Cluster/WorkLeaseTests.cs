using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Integration.Tests.Storage;
using EnergyMonitor.Storage.Postgres;
using Npgsql;

namespace EnergyMonitor.Integration.Tests.Cluster;

/// <summary>
/// The leases in a real PostgreSQL: instances share the work fairly, never hold one item twice, a silent holder's
/// items go to the others once its lease ends, and a clean stop hands them over at once.
/// </summary>
public sealed class WorkLeaseTests(PostgresServer server) : IClassFixture<PostgresServer>, IAsyncDisposable
{
    private static readonly string[] Work = ["alert-delivery", "gateway:a", "gateway:b", "gateway:c", "gateway:d"];
    private readonly PostgresDatabases _databases = new(server);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Alone_an_instance_holds_everything_and_a_second_gets_its_share_within_two_rounds()
    {
        var database = await _databases.CreateAsync();
        var a = new PostgresWorkLeases(database, "a", TimeSpan.FromSeconds(30));
        var b = new PostgresWorkLeases(database, "b", TimeSpan.FromSeconds(30));
        Assert.Equal(Work.Length, (await a.RenewAsync(Work, Ct)).Count);

        Assert.Empty(await b.RenewAsync(Work, Ct)); // a still holds everything: b is live now, a gives its surplus up next
        var ofA = await a.RenewAsync(Work, Ct);
        var ofB = await b.RenewAsync(Work, Ct);
        Assert.Equal(3, ofA.Count);
        Assert.Equal(2, ofB.Count);
        Assert.Empty(ofA.Intersect(ofB));

        // Stable: further rounds change nothing.
        Assert.True(ofA.SetEquals(await a.RenewAsync(Work, Ct)));
        Assert.True(ofB.SetEquals(await b.RenewAsync(Work, Ct)));
    }

    [Fact]
    public async Task A_holder_that_stops_renewing_loses_its_items_when_its_lease_ends_and_not_before()
    {
        var database = await _databases.CreateAsync();
        var lease = TimeSpan.FromSeconds(2);
        var a = new PostgresWorkLeases(database, "a", lease);
        var b = new PostgresWorkLeases(database, "b", lease);
        await a.RenewAsync(Work, Ct);
        Assert.Empty(await b.RenewAsync(Work, Ct));

        // a falls silent (killed): until its lease ends b may not take anything beyond its share of what is free.
        Assert.Empty(await b.RenewAsync(Work, Ct));
        await Task.Delay(lease + TimeSpan.FromMilliseconds(300), Ct);
        Assert.Equal(Work.Length, (await b.RenewAsync(Work, Ct)).Count);

        // a comes back: it has lost everything, and gets its share again from b's surplus.
        Assert.Empty(await a.RenewAsync(Work, Ct));
        await b.RenewAsync(Work, Ct);
        Assert.Equal(2, (await a.RenewAsync(Work, Ct)).Count);
    }

    [Fact]
    public async Task A_clean_stop_hands_everything_over_at_the_next_round()
    {
        var database = await _databases.CreateAsync();
        var a = new PostgresWorkLeases(database, "a", TimeSpan.FromMinutes(5));
        var b = new PostgresWorkLeases(database, "b", TimeSpan.FromMinutes(5));
        await a.RenewAsync(Work, Ct);
        await b.RenewAsync(Work, Ct);
        await a.ReleaseAllAsync(Ct);
        Assert.Equal(Work.Length, (await b.RenewAsync(Work, Ct)).Count);
    }

    [Fact]
    public async Task Work_that_leaves_the_site_is_given_up()
    {
        var database = await _databases.CreateAsync();
        var a = new PostgresWorkLeases(database, "a", TimeSpan.FromMinutes(5));
        await a.RenewAsync(Work, Ct);
        Assert.Equal(["alert-delivery", "gateway:a"], (await a.RenewAsync(Work[..2], Ct)).Order(StringComparer.Ordinal));
        await using var connection = await database.OpenConnectionAsync(Ct);
        await using var held = new NpgsqlCommand("SELECT count(*) FROM work_leases WHERE holder IS NOT NULL", connection);
        Assert.Equal(2L, await held.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Instances_renewing_concurrently_never_hold_one_item_twice_and_leave_nothing_unheld()
    {
        var database = await _databases.CreateAsync();
        var instances = Enumerable.Range(0, 4).Select(i => new PostgresWorkLeases(database, $"i{i}", TimeSpan.FromMinutes(5))).ToList();
        var work = Enumerable.Range(0, 11).Select(i => $"gateway:g{i:00}").ToList();

        // Rounds in parallel, several times over: every round's answer is disjoint from the others', and once all have
        // renewed twice, everything is held, each within the fair share.
        for (var round = 0; round < 4; round++)
        {
            var held = await Task.WhenAll(instances.Select(i => i.RenewAsync(work, Ct)));
            var all = held.SelectMany(h => h).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            if (round >= 2)
            {
                Assert.Equal(work.Count, all.Count);
                Assert.All(held, h => Assert.InRange(h.Count, 0, PostgresWorkLeases.FairShare(work.Count, instances.Count)));
            }
        }
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
