using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Rollups;

/// <summary>A node of the energy flow: the region, an institution, a building, or an item of a building.</summary>
/// <param name="Level">0 region, 1 institution, 2 building, 3 item.</param>
/// <param name="Value">What flows through it: the larger of what comes in and what goes out.</param>
public sealed record FlowNode(string Id, int Level, LocalizedText Name, double Value);

public sealed record FlowLink(string From, string To, double Value);

/// <summary>
/// The flow from the region to the institutions, their buildings and each building's items (分项), with nothing counted
/// twice: a building's use is its top-level meters' (as the kind rollups count it), and a sub-meter "included in" its
/// parent takes its share out of the parent rather than adding to it; what the parent's sub-meters do not account
/// for flows to "unmetered under" the parent. Children that read more than their parent are drawn as read, and the
/// excess is reported, not hidden.
/// </summary>
public sealed record EnergyFlowGraph(IReadOnlyList<FlowNode> Nodes, IReadOnlyList<FlowLink> Links, double Total, double ChildrenExcess);

/// <summary>Builds <see cref="EnergyFlowGraph"/> from each meter's use over a period, in one unit. Pure.</summary>
public static class EnergyFlow
{
    /// <param name="use">Each meter's use over the period in the unit drawn (kgce, or one kind's natural unit); meters absent used nothing.</param>
    /// <param name="counts">Which meters count: all kinds for kgce, one kind for its natural unit.</param>
    public static EnergyFlowGraph Build(SiteModel site, IReadOnlyDictionary<MeterId, double> use, Func<Meter, bool> counts)
    {
        var nodes = new Dictionary<string, FlowNode>(StringComparer.Ordinal);
        var links = new List<FlowLink>();
        double excess = 0;
        void Link(string from, string to, double value)
        {
            if (value > 0)
            {
                links.Add(new FlowLink(from, to, value));
            }
        }

        var region = "region";
        var regionTotal = 0.0;
        foreach (var institution in site.Institutions)
        {
            var iid = "institution:" + institution.Id;
            var institutionTotal = 0.0;
            foreach (var building in institution.Buildings)
            {
                var bid = "building:" + building.Id;
                var meters = building.Meters.Where(m => !m.IsGauge && counts(m)).ToList();
                var ids = meters.Select(m => m.Id).ToHashSet();
                var items = new Dictionary<string, (LocalizedText Name, double Value)>(StringComparer.Ordinal);
                void Item(string key, LocalizedText name, double value)
                {
                    var before = items.TryGetValue(key, out var e) ? e.Value : 0;
                    items[key] = (name, before + value);
                }

                var buildingTotal = 0.0;
                foreach (var top in meters.Where(m => m.Parent is not { } p || !ids.Contains(p)))
                {
                    var total = use.GetValueOrDefault(top.Id);
                    buildingTotal += total;
                    var (leaves, over) = Leaves(top, total, meters, use);
                    excess += over;
                    foreach (var (key, name, value) in leaves)
                    {
                        Item(key, name, value);
                    }
                }

                nodes[bid] = new FlowNode(bid, 2, new LocalizedText(building.Name, building.Name), 0);
                foreach (var (key, (name, value)) in items.OrderByDescending(i => i.Value.Value))
                {
                    var itemId = $"{bid}/{key}";
                    nodes[itemId] = new FlowNode(itemId, 3, name, value);
                    Link(bid, itemId, value);
                }

                nodes[bid] = nodes[bid] with { Value = Math.Max(buildingTotal, items.Values.Sum(v => v.Value)) };
                Link(iid, bid, buildingTotal);
                institutionTotal += buildingTotal;
            }

            nodes[iid] = new FlowNode(iid, 1, new LocalizedText(institution.Name, institution.Name), institutionTotal);
            Link(region, iid, institutionTotal);
            regionTotal += institutionTotal;
        }

        nodes[region] = new FlowNode(region, 0, new LocalizedText(site.Region.Name, site.Region.Name), regionTotal);
        var ordered = nodes.Values.OrderBy(n => n.Level).ToList();
        return new EnergyFlowGraph(ordered, links, regionTotal, excess);
    }

    /// <summary>
    /// Where a top-level meter's use goes: to each sub-meter's own leaves (recursively), and what they do not account
    /// for to "unmetered" under it; a meter with no sub-meters is one leaf, by its item code or its kind.
    /// </summary>
    private static (List<(string Key, LocalizedText Name, double Value)> Leaves, double Excess) Leaves(Meter meter, double total, IReadOnlyList<Meter> meters, IReadOnlyDictionary<MeterId, double> use)
    {
        var children = meters.Where(c => c.Parent == meter.Id).ToList();
        if (children.Count == 0)
        {
            return ([(meter.Item?.Code ?? EnergyKinds.ConfigName(meter.Kind), meter.Item?.Name ?? EnergyKinds.DisplayName(meter.Kind), total)], 0);
        }

        var leaves = new List<(string, LocalizedText, double)>();
        double excess = 0, childTotal = 0;
        foreach (var child in children)
        {
            var value = use.GetValueOrDefault(child.Id);
            childTotal += value;
            var (below, over) = Leaves(child, value, meters, use);
            leaves.AddRange(below);
            excess += over;
        }

        var remainder = total - childTotal;
        if (remainder > 0)
        {
            leaves.Add(($"unmetered:{meter.Id.Value}", new LocalizedText($"{meter.Name}（未分项）", $"{meter.Name} (not sub-metered)"), remainder));
        }
        else
        {
            excess += -remainder;
        }

        return (leaves, excess);
    }
}
