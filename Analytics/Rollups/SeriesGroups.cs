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
    public static string Kind(string scope, string id, EnergyKind kind) => $"{scope}/{id}/{KindSuffix(kind)}";

    private static string KindSuffix(EnergyKind kind) => EnergyKinds.ConfigName(kind);

    /// <summary>
    /// The groups in the order they must be summed: each building's from its meters, each institution's from its
    /// buildings' groups, the region's from the institutions' — so that a higher level reads a few series, not every meter.
    /// </summary>
    public static IReadOnlyList<SeriesGroup> For(SiteModel site)
    {
        var ids = site.Meters.Select(m => m.Id).ToHashSet();
        var groups = new List<SeriesGroup>();
        var regionParts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var institution in site.Institutions)
        {
            var institutionParts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var building in institution.Buildings)
            {
                foreach (var (suffix, members) in Partitions(building.Meters, ids))
                {
                    var series = $"building/{building.Id}/{suffix}";
                    groups.Add(new SeriesGroup(series, members));
                    Part(institutionParts, suffix).Add(series);
                }
            }

            foreach (var (suffix, members) in institutionParts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var series = $"institution/{institution.Id}/{suffix}";
                groups.Add(new SeriesGroup(series, members));
                Part(regionParts, suffix).Add(series);
            }
        }

        foreach (var (suffix, members) in regionParts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            groups.Add(new SeriesGroup($"region/{site.Region.Code}/{suffix}", members));
        }

        return groups;
    }

    /// <summary>A building's meters by kind (top-level meters only, so sub-meters are not counted twice) and by item code.</summary>
    private static IEnumerable<(string Suffix, IReadOnlyList<string> Members)> Partitions(IReadOnlyList<Meter> all, HashSet<MeterId> ids)
    {
        var meters = all.Where(m => !m.IsGauge).ToList();
        foreach (var kind in meters.Select(m => m.Kind).Distinct().Order())
        {
            yield return (KindSuffix(kind), meters.Where(m => m.Kind == kind && (m.Parent is null || !ids.Contains(m.Parent.Value))).Select(m => m.Id.Value).ToList());
        }

        foreach (var item in meters.Where(m => m.Item is not null).Select(m => m.Item!).Distinct().OrderBy(i => i.Code, StringComparer.Ordinal))
        {
            yield return ($"item/{item.Code}", meters.Where(m => m.Item == item).Select(m => m.Id.Value).ToList());
        }
    }

    private static List<string> Part(Dictionary<string, List<string>> parts, string suffix)
    {
        if (!parts.TryGetValue(suffix, out var list))
        {
            list = [];
            parts[suffix] = list;
        }

        return list;
    }
}
