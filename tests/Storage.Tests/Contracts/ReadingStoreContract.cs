using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IReadingStore"/> must do. A store implementation gets a test class deriving from this
/// one; each test asks for a fresh, empty store.
/// </summary>
public abstract class ReadingStoreContract
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract Task<IReadingStore> CreateEmptyStoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Reading At(string meter, int minutes, double value, ReadingQuality quality = ReadingQuality.Good) =>
        new(new MeterId(meter), T0.AddMinutes(minutes), value, quality);

    [Fact]
    public async Task Written_readings_come_back_in_timestamp_order_with_values_and_quality()
    {
        var store = await CreateEmptyStoreAsync();
        Reading[] written = [At("m1", 30, 12.5), At("m1", 0, 10.0), At("m1", 15, 11.25, ReadingQuality.ArrivalTime)];

        await store.WriteAsync(written, Ct);
        var read = await store.ReadAsync(new MeterId("m1"), T0, T0.AddHours(1), Ct);

        Assert.Equal(written.OrderBy(r => r.Timestamp), read);
        Assert.All(read, r => Assert.Equal(TimeSpan.Zero, r.Timestamp.Offset));
    }

    [Fact]
    public async Task Range_is_half_open_including_from_and_excluding_to()
    {
        var store = await CreateEmptyStoreAsync();
        await store.WriteAsync([At("m1", 0, 1), At("m1", 15, 2), At("m1", 30, 3), At("m1", 45, 4)], Ct);

        var read = await store.ReadAsync(new MeterId("m1"), T0.AddMinutes(15), T0.AddMinutes(45), Ct);

        Assert.Equal([2.0, 3.0], read.Select(r => r.Value));
    }

    [Fact]
    public async Task Writing_the_same_batch_twice_stores_each_reading_once()
    {
        var store = await CreateEmptyStoreAsync();
        var batch = Enumerable.Range(0, 96).Select(i => At("m1", i * 15, i * 0.5)).ToArray();

        await store.WriteAsync(batch, Ct);
        await store.WriteAsync(batch, Ct);

        var counts = await store.CountAsync(T0, T0.AddDays(1), Ct);
        Assert.Equal(96, counts[new MeterId("m1")]);
    }

    [Fact]
    public async Task A_second_write_of_the_same_meter_and_instant_replaces_the_first()
    {
        var store = await CreateEmptyStoreAsync();
        await store.WriteAsync([At("m1", 0, 100.0, ReadingQuality.Missing)], Ct);
        await store.WriteAsync([At("m1", 0, 101.5)], Ct);

        var read = Assert.Single(await store.ReadAsync(new MeterId("m1"), T0, T0.AddMinutes(1), Ct));

        Assert.Equal(101.5, read.Value);
        Assert.Equal(ReadingQuality.Good, read.Quality);
    }

    [Fact]
    public async Task Meters_do_not_see_each_others_readings()
    {
        var store = await CreateEmptyStoreAsync();
        await store.WriteAsync([At("a", 0, 1), At("b", 0, 2), At("a", 15, 3)], Ct);

        var a = await store.ReadAsync(new MeterId("a"), T0, T0.AddHours(1), Ct);
        var b = await store.ReadAsync(new MeterId("b"), T0, T0.AddHours(1), Ct);
        var none = await store.ReadAsync(new MeterId("c"), T0, T0.AddHours(1), Ct);

        Assert.Equal([1.0, 3.0], a.Select(r => r.Value));
        Assert.Equal([2.0], b.Select(r => r.Value));
        Assert.Empty(none);
    }

    [Fact]
    public async Task Timestamps_keep_millisecond_precision_and_come_back_as_utc()
    {
        var store = await CreateEmptyStoreAsync();
        var local = new DateTimeOffset(2025, 3, 1, 8, 0, 0, 123, TimeSpan.FromHours(8));
        await store.WriteAsync([new Reading(new MeterId("m1"), local, 7.0)], Ct);

        var read = Assert.Single(await store.ReadAsync(new MeterId("m1"), T0, T0.AddMinutes(1), Ct));

        Assert.Equal(local.UtcDateTime, read.Timestamp.UtcDateTime);
        Assert.Equal(123, read.Timestamp.Millisecond);
    }

    [Fact]
    public async Task Every_quality_flag_survives_the_round_trip()
    {
        var store = await CreateEmptyStoreAsync();
        var flags = Enum.GetValues<ReadingQuality>();
        var all = flags.Aggregate(ReadingQuality.Good, (a, f) => a | f);
        var batch = flags.Append(all).Select((q, i) => At("m1", i, i, q)).ToArray();

        await store.WriteAsync(batch, Ct);
        var read = await store.ReadAsync(new MeterId("m1"), T0, T0.AddHours(1), Ct);

        Assert.Equal(batch.Select(r => r.Quality), read.Select(r => r.Quality));
    }

    [Fact]
    public async Task Latest_returns_the_newest_reading_at_or_before_the_instant()
    {
        var store = await CreateEmptyStoreAsync();
        await store.WriteAsync([At("m1", 0, 1), At("m1", 15, 2), At("m1", 30, 3)], Ct);

        Assert.Equal(2.0, (await store.LatestAsync(new MeterId("m1"), T0.AddMinutes(29), Ct))?.Value);
        Assert.Equal(3.0, (await store.LatestAsync(new MeterId("m1"), T0.AddMinutes(30), Ct))?.Value);
        Assert.Null(await store.LatestAsync(new MeterId("m1"), T0.AddMinutes(-1), Ct));
        Assert.Null(await store.LatestAsync(new MeterId("unknown"), T0.AddDays(1), Ct));
    }

    [Fact]
    public async Task Count_groups_by_meter_within_the_range()
    {
        var store = await CreateEmptyStoreAsync();
        await store.WriteAsync([At("a", 0, 1), At("a", 15, 1), At("b", 15, 1), At("b", 60, 1)], Ct);

        var counts = await store.CountAsync(T0, T0.AddMinutes(60), Ct);

        Assert.Equal(2, counts.Count);
        Assert.Equal(2, counts[new MeterId("a")]);
        Assert.Equal(1, counts[new MeterId("b")]);
    }

    [Theory]
    [InlineData("主楼 照明,1=2")]
    [InlineData("o'brien\\x")]
    [InlineData("adm-main-it/power_total")]
    public async Task Meter_ids_with_spaces_commas_quotes_and_non_ascii_round_trip(string id)
    {
        var store = await CreateEmptyStoreAsync();
        await store.WriteAsync([new Reading(new MeterId(id), T0, 42.5), At("plain", 0, 1)], Ct);

        var read = Assert.Single(await store.ReadAsync(new MeterId(id), T0, T0.AddMinutes(1), Ct));
        var counts = await store.CountAsync(T0, T0.AddMinutes(1), Ct);

        Assert.Equal(42.5, read.Value);
        Assert.Equal(1, counts[new MeterId(id)]);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task A_batch_with_a_non_finite_value_is_refused_whole(double bad)
    {
        var store = await CreateEmptyStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync([At("m1", 0, 1), At("m1", 15, bad)], Ct));

        Assert.Empty(await store.ReadAsync(new MeterId("m1"), T0, T0.AddDays(1), Ct));
    }

    [Fact]
    public async Task A_large_batch_arrives_complete_with_exact_values()
    {
        var store = await CreateEmptyStoreAsync();
        var batch = Enumerable.Range(0, 20_000)
            .Select(i => new Reading(new MeterId($"m{i % 20}"), T0.AddMinutes(15 * (i / 20)), 1_000_000.0 + (i * 0.001)))
            .ToArray();

        await store.WriteAsync(batch, Ct);

        var counts = await store.CountAsync(T0, T0.AddYears(1), Ct);
        Assert.Equal(20, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(1000, c));
        var m7 = await store.ReadAsync(new MeterId("m7"), T0, T0.AddYears(1), Ct);
        Assert.Equal(batch.Where(r => r.Meter.Value == "m7").Select(r => r.Value), m7.Select(r => r.Value));
    }

    [Fact]
    public async Task Concurrent_writers_all_land()
    {
        var store = await CreateEmptyStoreAsync();
        var writers = Enumerable.Range(0, 8).Select(w =>
            store.WriteAsync(Enumerable.Range(0, 250).Select(i => At($"w{w}", i, i)).ToArray(), Ct));

        await Task.WhenAll(writers);

        var counts = await store.CountAsync(T0, T0.AddDays(1), Ct);
        Assert.Equal(8, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(250, c));
    }

    /// <summary>
    /// Readers racing a steady stream of writes (the service's jobs and API read while the outbox writes) see
    /// each reading whole or not at all: InfluxDB 1.x once showed a point's quality before its value.
    /// </summary>
    [Fact]
    public async Task Reads_racing_writes_return_only_whole_readings()
    {
        var store = await CreateEmptyStoreAsync();
        const int meters = 200;
        static double ValueOf(int meter, DateTimeOffset t) => (meter * 1_000_000.0) + (t.ToUnixTimeMilliseconds() % 1_000_000);
        var start = DateTimeOffset.UtcNow;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(4));
        var writing = Task.Run(async () =>
        {
            for (var k = 0; !stop.IsCancellationRequested; k++)
            {
                var t = start.AddMilliseconds(k);
                await store.WriteAsync([.. Enumerable.Range(0, meters).Select(m => new Reading(new MeterId($"r{m}"), t, ValueOf(m, t), ReadingQuality.Good))], Ct);
            }
        }, Ct);

        var random = new Random(3);
        var (latest, ranged) = (0, 0);
        while (!writing.IsCompleted)
        {
            var m = random.Next(meters);
            var meter = new MeterId($"r{m}");
            if (await store.LatestAsync(meter, DateTimeOffset.UtcNow.AddMinutes(1), Ct) is { } reading)
            {
                Assert.Equal(ValueOf(m, reading.Timestamp), reading.Value);
                Assert.Equal(ReadingQuality.Good, reading.Quality);
                latest++;
            }

            foreach (var r in await store.ReadAsync(meter, start, DateTimeOffset.UtcNow.AddMinutes(1), Ct))
            {
                Assert.Equal(ValueOf(m, r.Timestamp), r.Value);
                Assert.Equal(ReadingQuality.Good, r.Quality);
                ranged++;
            }
        }

        await writing;
        Assert.True(latest > 100 && ranged > 100, $"{latest} latest and {ranged} ranged readings checked");
    }
}
