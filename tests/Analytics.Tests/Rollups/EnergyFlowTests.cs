using CsCheck;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Tests.Rollups;

public sealed class EnergyFlowTests
{
    private static readonly SiteModel Site = Analytics.Tests.TestSites.Example();

    [Fact]
    public void Worked_example_a_main_meter_with_sub_meters_is_counted_once_and_its_remainder_flows_to_unmetered()
    {
        // One building's electricity: the main meter 1,000, its lighting and AC 300 + 500; the rest of the site nothing.
        var main = Site.Meters.First(m => m.Kind == EnergyKind.Electricity && Site.Meters.Count(c => c.Parent == m.Id) >= 2);
        var children = Site.Meters.Where(c => c.Parent == main.Id).Take(2).ToList();
        var use = new Dictionary<MeterId, double> { [main.Id] = 1000, [children[0].Id] = 300, [children[1].Id] = 500 };

        var flow = EnergyFlow.Build(Site, use, m => m.Kind == EnergyKind.Electricity);

        Assert.Equal(1000, flow.Total);
        var building = Site.Buildings.First(b => b.Meters.Contains(main));
        var leaves = flow.Links.Where(l => l.From == "building:" + building.Id).ToDictionary(l => l.To, l => l.Value);
        Assert.Equal(1000, leaves.Values.Sum());
        Assert.Equal(300, leaves[$"building:{building.Id}/{children[0].Item!.Code}"]);
        Assert.Equal(200, leaves[$"building:{building.Id}/unmetered:{main.Id.Value}"]);
        Assert.Equal(0, flow.ChildrenExcess);
    }

    [Fact]
    public void Children_reading_over_their_parent_are_drawn_as_read_and_the_excess_reported()
    {
        var main = Site.Meters.First(m => m.Kind == EnergyKind.Electricity && Site.Meters.Any(c => c.Parent == m.Id));
        var child = Site.Meters.First(c => c.Parent == main.Id);
        var flow = EnergyFlow.Build(Site, new Dictionary<MeterId, double> { [main.Id] = 100, [child.Id] = 130 }, m => m.Kind == EnergyKind.Electricity);

        Assert.Equal(100, flow.Total);
        Assert.Equal(30, flow.ChildrenExcess, 9);
        Assert.DoesNotContain(flow.Nodes, n => n.Id.Contains("unmetered", StringComparison.Ordinal));
    }

    [Fact]
    public void Whatever_the_meters_read_each_level_carries_the_region_total_and_leaves_add_up_once_excess_is_allowed_for()
    {
        var meters = Site.Meters.Where(m => !m.IsGauge).ToList();
        Gen.Double[0, 10_000].Array[meters.Count].Sample(values =>
        {
            var use = meters.Select((m, i) => (m.Id, values[i])).ToDictionary(p => p.Id, p => p.Item2);
            var flow = EnergyFlow.Build(Site, use, _ => true);

            var topLevel = meters.Where(m => m.Parent is not { } p || meters.All(x => x.Id != p)).Sum(m => use[m.Id]);
            Assert.Equal(topLevel, flow.Total, 6);
            Assert.Equal(flow.Total, flow.Links.Where(l => l.From == "region").Sum(l => l.Value), 6);
            Assert.Equal(flow.Total, flow.Links.Where(l => l.From.StartsWith("institution:", StringComparison.Ordinal)).Sum(l => l.Value), 6);
            var leaves = flow.Links.Where(l => l.From.StartsWith("building:", StringComparison.Ordinal)).Sum(l => l.Value);
            Assert.Equal(flow.Total, leaves - flow.ChildrenExcess, 6);
            Assert.All(flow.Links, l => Assert.True(l.Value > 0));
            Assert.Equal(flow.Nodes.Count, flow.Nodes.Select(n => n.Id).Distinct().Count());
        });
    }
}
