using CsCheck;
using EnergyMonitor.Storage.Postgres;

namespace EnergyMonitor.Storage.Tests;

/// <summary>The share of leased work each live instance claims (docs/OPERATIONS.md § Two instances).</summary>
public sealed class FairShareTests
{
    [Fact]
    public void The_fair_share_gives_every_item_a_taker_and_no_instance_more_than_one_extra()
    {
        Gen.Select(Gen.Int[0, 10_000], Gen.Long[1, 200]).Sample((work, live) =>
        {
            var share = PostgresWorkLeases.FairShare(work, live);
            return share * live >= work && (share - 1) * live < work && share <= work;
        });
        Assert.Equal(3, PostgresWorkLeases.FairShare(5, 2));
        Assert.Equal(5, PostgresWorkLeases.FairShare(5, 1));
        Assert.Equal(0, PostgresWorkLeases.FairShare(0, 3));
    }
}
