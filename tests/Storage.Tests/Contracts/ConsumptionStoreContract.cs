using CsCheck;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Contracts;

/// <summary>What every <see cref="IConsumptionStore"/> must do; each test asks for a fresh, empty store.</summary>
public abstract class ConsumptionStoreContract
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly MeterId M = new("m1");

    protected abstract Task<IConsumptionStore> CreateEmptyStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConsumptionCheckpoint Checkpoint(int boundaryHours, int horizonHours) =>
        new(T0.AddHours(boundaryHours), new Reading(M, T0.AddHours(boundaryHours).AddMinutes(-15), boundaryHours), T0, T0.AddHours(horizonHours));

    [Fact]
    public async Task A_change_resumes_from_the_latest_checkpoint_whose_horizon_it_leaves_untouched()
    {
        var store = await CreateEmptyStoreAsync();
        // Boundaries at 1 h, 2 h and 3 h; the readings that decided them reach to 4 h, 2.5 h and 5 h.
        await store.ReplaceIntervalsAsync(M, T0, null, [], [Checkpoint(1, 4), Checkpoint(2, 2), Checkpoint(3, 5)], Ct);

        // A change at 4.5 h: 3 h's horizon (5 h) is touched; 2 h's (2 h) is not, and it is later than 1 h's.
        Assert.Equal(T0.AddHours(2), (await store.CheckpointBeforeAsync(M, T0.AddHours(4.5), Ct))?.Boundary);
        Assert.Equal(T0.AddHours(3), (await store.CheckpointBeforeAsync(M, T0.AddHours(6), Ct))?.Boundary);
        Assert.Null(await store.CheckpointBeforeAsync(M, T0.AddHours(2), Ct)); // a horizon equal to the change is touched
        Assert.Null(await store.CheckpointBeforeAsync(new MeterId("m2"), T0.AddHours(6), Ct));
    }

    [Fact]
    public async Task The_checkpoint_returned_is_the_rule_over_any_set_of_checkpoints()
    {
        var store = await CreateEmptyStoreAsync();
        var sets = Gen.Select(Gen.Int[0, 48], Gen.Int[0, 60]).Array[0, 12]
            .Select(a => a.DistinctBy(p => p.Item1).Select(p => Checkpoint(p.Item1, p.Item1 + p.Item2 - 10)).ToList());

        await Gen.Select(sets, Gen.Int[-5, 120]).SampleAsync(async (checkpoints, change) =>
        {
            await store.ReplaceIntervalsAsync(M, DateTimeOffset.UnixEpoch, null, [], checkpoints, Ct);
            var changedFrom = T0.AddHours(change);

            var resumed = await store.CheckpointBeforeAsync(M, changedFrom, Ct);

            // The rule (IConsumptionStore.CheckpointBeforeAsync): the latest boundary among the horizons before the change.
            var expected = checkpoints.Where(c => c.Horizon < changedFrom).OrderByDescending(c => c.Boundary).Cast<ConsumptionCheckpoint?>().FirstOrDefault();
            return resumed == expected;
        }, iter: 300, threads: 1);
    }
}
