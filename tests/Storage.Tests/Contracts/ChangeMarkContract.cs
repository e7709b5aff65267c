using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Contracts;

/// <summary>
/// What the reading store the service is configured with promises analytics (docs/ARCHITECTURE.md): every write
/// raises a change mark per meter from its earliest reading, readable through <see cref="IConsumptionStore"/>, and a
/// mark never exists before its readings can be read. Consumption is recomputed from these marks alone, so a store
/// that forgot one would leave rollups silently stale.
/// </summary>
public abstract class ChangeMarkContract
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh store as the service composes it, the consumption store over the same database, and a wait until written readings are readable.</summary>
    protected abstract Task<(IReadingStore Readings, IConsumptionStore Consumption, Func<Task> Settle)> CreateAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Reading At(string meter, int minutes, double value = 1) => new(new MeterId(meter), T0.AddMinutes(minutes), value);

    [Fact]
    public async Task A_write_raises_one_mark_per_meter_from_its_earliest_reading()
    {
        var (readings, consumption, settle) = await CreateAsync();

        await readings.WriteAsync([At("m1", 30), At("m1", 15), At("m2", 45), At("m1", 60)], Ct);
        await settle();

        var marks = (await consumption.ChangesAsync(Ct)).OrderBy(c => c.Meter.Value, StringComparer.Ordinal).ToList();
        Assert.Equal([("m1", T0.AddMinutes(15)), ("m2", T0.AddMinutes(45))], marks.Select(c => (c.Meter.Value, c.From)));
    }

    [Fact]
    public async Task An_earlier_reading_moves_the_mark_back_and_a_clear_of_the_older_mark_keeps_it()
    {
        var (readings, consumption, settle) = await CreateAsync();
        await readings.WriteAsync([At("m1", 60)], Ct);
        await settle();
        var first = Assert.Single(await consumption.ChangesAsync(Ct));

        // A late reading arrives while consumption is being computed from the first mark.
        await readings.WriteAsync([At("m1", 15)], Ct);
        await settle();
        await consumption.ClearChangesAsync([first], Ct);

        var moved = Assert.Single(await consumption.ChangesAsync(Ct));
        Assert.Equal(T0.AddMinutes(15), moved.From);
        Assert.True(moved.Version > first.Version);
    }

    [Fact]
    public async Task A_mark_cleared_as_read_is_gone_and_rewriting_a_reading_raises_it_again()
    {
        var (readings, consumption, settle) = await CreateAsync();
        await readings.WriteAsync([At("m1", 15, 10)], Ct);
        await settle();
        await consumption.ClearChangesAsync(await consumption.ChangesAsync(Ct), Ct);
        Assert.Empty(await consumption.ChangesAsync(Ct));

        // The same instant again with a corrected value: its consumption must be computed again.
        await readings.WriteAsync([At("m1", 15, 11)], Ct);
        await settle();

        Assert.Equal(T0.AddMinutes(15), Assert.Single(await consumption.ChangesAsync(Ct)).From);
    }

    [Fact]
    public async Task Every_mark_points_at_a_reading_that_can_be_read()
    {
        var (readings, consumption, settle) = await CreateAsync();
        var random = new Random(7);
        var written = Enumerable.Range(0, 200).Select(_ => At($"m{random.Next(5)}", random.Next(0, 10_000))).ToList();
        foreach (var batch in written.Chunk(37))
        {
            await readings.WriteAsync(batch, Ct);
        }

        await settle();

        var marks = await consumption.ChangesAsync(Ct);
        Assert.Equal(written.Select(r => r.Meter.Value).Distinct().Order(StringComparer.Ordinal), marks.Select(m => m.Meter.Value).Order(StringComparer.Ordinal));
        foreach (var mark in marks)
        {
            Assert.Equal(written.Where(r => r.Meter == mark.Meter).Min(r => r.Timestamp), mark.From);
            Assert.NotNull(await readings.LatestAsync(mark.Meter, mark.From, Ct));
        }
    }
}
