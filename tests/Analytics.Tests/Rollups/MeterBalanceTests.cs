using CsCheck;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Tests.Rollups;

public sealed class MeterBalanceTests
{
    private static readonly DateTimeOffset D0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static RollupRow Day(string series, int day, double amount, double estimated = 0, double rejected = 0) =>
        new(series, RollupPeriod.Day, D0.AddDays(day), amount, estimated, rejected, IntervalFlags.None, 96);

    [Fact]
    public void Worked_example_a_main_meter_with_two_sub_meters_and_a_day_one_child_missed()
    {
        // Day 0: 1,000 kWh in, 600 + 300 metered below: 100 unmetered, 10 %. Day 1: the lighting circuit has no
        // rollup, so the day is left out. Day 2: the children read 2 % over the parent, a negative remainder.
        var parent = new[] { Day("main", 0, 1000), Day("main", 1, 900), Day("main", 2, 500) };
        var ac = new[] { Day("ac", 0, 600), Day("ac", 1, 500), Day("ac", 2, 400) };
        var lighting = new[] { Day("lighting", 0, 300), Day("lighting", 2, 110) };

        var points = MeterBalance.Remainders(parent, [ac, lighting]);

        Assert.Equal([new BalancePoint(D0, 1000, 900, 100, 0.1), new BalancePoint(D0.AddDays(2), 500, 510, -10, -0.02)], points);
    }

    [Fact]
    public void Quality_is_the_estimated_part_of_the_use_and_the_rejected_part_of_what_was_reported()
    {
        var q = MeterBalance.Quality([Day("m", 0, 90, estimated: 9), Day("m", 1, 10, estimated: 1, rejected: 25)]);

        Assert.Equal(new MeterQuality(100, 10, 25, 0.1, 0.2), q);
        Assert.Equal(new MeterQuality(0, 0, 0, null, null), MeterBalance.Quality([]));
    }

    [Fact]
    public void The_remainder_and_the_children_add_up_to_the_parent_on_every_day_kept()
    {
        var days = Gen.Double[0, 5000].Array[1, 40];
        Gen.Select(days, Gen.Int[0, 4], Gen.Int).Sample((parentDays, childCount, seed) =>
        {
            var random = new Random(seed);
            var parent = parentDays.Select((a, i) => Day("p", i, a)).ToArray();
            var children = Enumerable.Range(0, childCount).Select(c => (IReadOnlyList<RollupRow>)[.. parentDays.Select((a, i) => (a, i))
                .Where(_ => random.NextDouble() > 0.1).Select(x => Day($"c{c}", x.i, x.a * random.NextDouble() / Math.Max(1, childCount)))]).ToList();

            var points = MeterBalance.Remainders(parent, children);

            Assert.All(points, p => Assert.Equal(p.Parent, p.Children + p.Remainder, 6));
            Assert.All(points, p => Assert.True(children.All(c => c.Any(r => r.Start == p.Start)), "a day a child missed was kept"));
            Assert.Equal(points.Count, parent.Count(r => children.All(c => c.Any(x => x.Start == r.Start))));
            Assert.All(points.Where(p => p.Share is not null), p => Assert.True(p.Share <= 1 + 1e-12));
        });
    }
}
