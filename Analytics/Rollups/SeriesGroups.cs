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
    public static string Kind(string scope, string id, EnergyKind kind) => $"{scope}/{id}/{EnergyKinds.ConfigName(kind)}";

    public static string Item(string scope, string id, ItemCode item) => $"{scope}/{id}/item/{item.Code}";

    public static IReadOnlyList<SeriesGroup> For(SiteModel site)
    {
        var ids = site.Meters.Select(m => m.Id).ToHashSet();
        var groups = new List<SeriesGroup>();
        void Add(string scope, string id, IEnumerable<Meter> meters)
        {
            var list = meters.ToList();
            foreach (var kind in list.Select(m => m.Kind).Distinct().Order())
            {
                var top = list.Where(m => m.Kind == kind && (m.Parent is null || !ids.Contains(m.Parent.Value))).Select(m => m.Id.Value).ToList();
                groups.Add(new SeriesGroup(Kind(scope, id, kind), top));
            }

            foreach (var item in list.Where(m => m.Item is not null).Select(m => m.Item!).Distinct().OrderBy(i => i.Code, StringComparer.Ordinal))
            {
                groups.Add(new SeriesGroup(Item(scope, id, item), list.Where(m => m.Item == item).Select(m => m.Id.Value).ToList()));
            }
        }

        foreach (var institution in site.Institutions)
        {
            foreach (var building in institution.Buildings)
            {
                Add("building", building.Id, building.Meters);
            }

            Add("institution", institution.Id, institution.Buildings.SelectMany(b => b.Meters));
        }

        Add("region", site.Region.Code, site.Meters);
        return groups;
    }
}
