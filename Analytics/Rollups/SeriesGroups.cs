using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Rollups;

/// <summary>A group series and the meter series it sums.</summary>
public sealed record SeriesGroup(string Series, IReadOnlyList<string> Members);

/// <summary>
/// The groups consumption is rolled up into: per building, institution and region, each by energy kind
/// (from top-level meters only, so that sub-meters are not counted twice) and by item code (分类/分项,
/// from the meters carrying that code).
/// </summary>
public static class SeriesGroups
{
    /// <summary>The series of a scope's use of one kind: <c>building/b1/electricity</c>, <c>region/320117/water</c>.</summary>
    public static string Kind(SeriesScope scope, string id, EnergyKind kind) => SeriesKey.Of(scope, id, kind).Text;

    /// <summary>
    /// The groups in the order they must be summed: each building's from its meters, each institution's from its
    /// buildings' groups, the region's from the institutions' — so that a higher level reads a few series, not every meter.
    /// </summary>
    public static IReadOnlyList<SeriesGroup> For(SiteModel site)
    {
        var ids = site.Meters.Select(m => m.Id).ToHashSet();
        var groups = new List<SeriesGroup>();
        var regionParts = new Dictionary<string, (Part Part, List<string> Members)>(StringComparer.Ordinal);
        foreach (var institution in site.Institutions)
        {
            var institutionParts = new Dictionary<string, (Part Part, List<string> Members)>(StringComparer.Ordinal);
            foreach (var building in institution.Buildings)
            {
                foreach (var (part, members) in Partitions(building.Meters, ids))
                {
                    var series = part.Of(SeriesScope.Building, building.Id);
                    groups.Add(new SeriesGroup(series, members));
                    Members(institutionParts, part).Add(series);
                }
            }

            // Ordered by the part's text (electricity, item/01A00, water…), as the rollups have always been summed.
            foreach (var (part, members) in institutionParts.Values.OrderBy(p => p.Part.Text, StringComparer.Ordinal))
            {
                var series = part.Of(SeriesScope.Institution, institution.Id);
                groups.Add(new SeriesGroup(series, members));
                Members(regionParts, part).Add(series);
            }
        }

        foreach (var (part, members) in regionParts.Values.OrderBy(p => p.Part.Text, StringComparer.Ordinal))
        {
            groups.Add(new SeriesGroup(part.Of(SeriesScope.Region, site.Region.Code), members));
        }

        return groups;
    }

    /// <summary>What a group sums: one energy kind, or one item code; <see cref="Text"/> is the series' last part.</summary>
    private sealed record Part(EnergyKind? Kind, ItemCode? Item)
    {
        public string Text => Item is { } item ? $"item/{item.Code}" : EnergyKinds.ConfigName(Kind!.Value);

        public string Of(SeriesScope scope, string owner) => (Item is { } item ? SeriesKey.Of(scope, owner, item) : SeriesKey.Of(scope, owner, Kind!.Value)).Text;
    }

    /// <summary>A building's meters by kind (top-level meters only, so sub-meters are not counted twice) and by item code.</summary>
    private static IEnumerable<(Part Part, IReadOnlyList<string> Members)> Partitions(IReadOnlyList<Meter> all, HashSet<MeterId> ids)
    {
        var meters = all.Where(m => !m.IsGauge).ToList();
        foreach (var kind in meters.Select(m => m.Kind).Distinct().Order())
        {
            yield return (new Part(kind, null), meters.Where(m => m.Kind == kind && (m.Parent is null || !ids.Contains(m.Parent.Value))).Select(m => m.Id.Value).ToList());
        }

        foreach (var item in meters.Where(m => m.Item is not null).Select(m => m.Item!).Distinct().OrderBy(i => i.Code, StringComparer.Ordinal))
        {
            yield return (new Part(null, item), meters.Where(m => m.Item == item).Select(m => m.Id.Value).ToList());
        }
    }

    private static List<string> Members(Dictionary<string, (Part Part, List<string> Members)> parts, Part part)
    {
        if (!parts.TryGetValue(part.Text, out var entry))
        {
            entry = (part, []);
            parts[part.Text] = entry;
        }

        return entry.Members;
    }
}
