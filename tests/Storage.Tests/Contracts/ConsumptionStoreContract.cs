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

    [Fact]
    public async Task Replacing_a_range_of_intervals_and_rollups_keeps_what_lies_outside_it_whatever_the_sizes()
    {
        var store = await CreateEmptyStoreAsync();

        // The model: what each key holds after every replacement. The sizes straddle the stores' bulk-write threshold
        // (PostgreSQL writes up to 1,000 rows in one statement and more through COPY), so both paths are taken.
        var intervals = new SortedDictionary<long, ConsumptionInterval>();
        var rollups = new SortedDictionary<long, RollupRow>();
        var step = Gen.Select(Gen.Int[0, 3000], Gen.Int[0, 1500], Gen.Bool, Gen.Int[0, 1_000_000]);
        var round = 0;
        await step.Array[1, 4].SampleAsync(async steps =>
        {
            round++;
            foreach (var (start, length, openEnded, seed) in steps)
            {
                var from = T0.AddMinutes(15 * start);
                DateTimeOffset? to = openEnded ? null : from.AddMinutes(15 * length);
                var fresh = Enumerable.Range(0, length).Select(k => new ConsumptionInterval(M, from.AddMinutes(15 * k), seed + k, k % 3, k % 5, (IntervalFlags)(k % 4))).ToList();
                var rows = fresh.Select(i => new RollupRow("s1", RollupPeriod.Hour, i.Start, i.Amount, i.Estimated, i.Rejected, i.Flags, 1 + (round % 4))).ToList();
                await store.ReplaceIntervalsAsync(M, from, to, fresh, [], Ct);
                await store.ReplaceRollupsAsync("s1", RollupPeriod.Hour, from, to ?? DateTimeOffset.MaxValue, rows, Ct);
                foreach (var key in intervals.Keys.Where(t => t >= from.ToUnixTimeMilliseconds() && (to is null || t < to.Value.ToUnixTimeMilliseconds())).ToList())
                {
                    intervals.Remove(key);
                    rollups.Remove(key);
                }

                foreach (var (i, r) in fresh.Zip(rows))
                {
                    intervals[i.Start.ToUnixTimeMilliseconds()] = i;
                    rollups[r.Start.ToUnixTimeMilliseconds()] = r;
                }
            }

            var end = T0.AddDays(60);
            var storedIntervals = await store.IntervalsAsync(M, DateTimeOffset.UnixEpoch, end, Ct);
            var storedRollups = await store.RollupsAsync(["s1"], RollupPeriod.Hour, DateTimeOffset.UnixEpoch, end, Ct);
            return storedIntervals.SequenceEqual(intervals.Values) && storedRollups.SequenceEqual(rollups.Values);
        }, iter: 25, threads: 1);
    }

}
