using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Analytics.Rankings;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Queries;

/// <summary>What the institutions are ranked by: each a 统计 indicator, lower is better.</summary>
public static class RankingMetrics
{
    public const string EnergyPerArea = "energy-per-area";
    public const string EnergyPerPerson = "energy-per-person";
    public const string WaterPerPerson = "water-per-person";
    public const string Co2PerArea = "co2-per-area";

    public static IReadOnlyList<string> All { get; } = [EnergyPerArea, EnergyPerPerson, WaterPerPerson, Co2PerArea];
}

/// <summary>An institution's year among the site's institutions.</summary>
/// <param name="PeerGroup">单位性质 and climate zone, as "021 / HotSummerColdWinter"; the peers are the site's institutions in it.</param>
/// <param name="Score">1–100 against the peers by the ranked metric (<see cref="PeerScore"/>); null with too few peers.</param>
/// <param name="BaseYearChange">The ranked metric's change since the institution's base year (its target's), null without one.</param>
public sealed record InstitutionRank(Institution Institution, ClimateZone ClimateZone, YearOfInstitution Year, double? Value, int? Rank, string PeerGroup, int Peers, int? Score,
    int? BaseYear, double? BaseYearChange, double? RequiredChange, IReadOnlyList<QuotaPosition> Quotas);

/// <summary>A building's year: energy and CO2 per m² from its own rollups.</summary>
public sealed record BuildingRank(Building Building, Institution Institution, double Kgce, double? KgcePerArea, double Co2, double? Co2PerArea, int? Rank);

public sealed record Rankings(int Year, DateTimeOffset Through, string Metric, string CoefficientSet, IReadOnlyList<InstitutionRank> Institutions, IReadOnlyList<BuildingRank> Buildings);

/// <summary>
/// 能耗排名: the site's institutions and buildings for a year (to date while it runs), by kgce/m², kgce per person,
/// water per person or CO2/m²; each institution against its quota's 引导值 and 约束值, its own base year, and its
/// peers of the same 单位性质 and climate zone. For the console's rankings page and the API alike.
/// </summary>
public sealed class RankingQuery(SiteModel site, YearIndicators years, IConsumptionStore rollups, CoefficientCatalog catalog, ScorecardSetup scorecard)
{
    public async Task<Rankings> GetAsync(int year, string metric, CancellationToken cancellationToken)
    {
        var rows = new List<(Institution Institution, YearOfInstitution Year)>();
        foreach (var institution in site.Institutions)
        {
            rows.Add((institution, await years.ForAsync(institution, year, cancellationToken).ConfigureAwait(false)));
        }

        static double? Metric(InstitutionIndicators i, string metric) => metric switch
        {
            RankingMetrics.EnergyPerPerson => i.EnergyPerPerson,
            RankingMetrics.WaterPerPerson => i.WaterPerPerson,
            RankingMetrics.Co2PerArea => i.Co2PerArea,
            _ => i.EnergyPerArea,
        };

        var target = metric switch
        {
            RankingMetrics.EnergyPerPerson => IndicatorId.EnergyPerPerson,
            RankingMetrics.WaterPerPerson => IndicatorId.WaterPerPerson,
            RankingMetrics.Co2PerArea => IndicatorId.Co2PerArea,
            _ => IndicatorId.EnergyPerArea,
        };
        var values = rows.Select(r => Metric(r.Year.Indicators, metric)).ToList();
        var ranks = PeerScore.Ranks(values);
        var groups = rows.Select(r => $"{r.Institution.NatureCode} / {ZoneOf(r.Institution)}").ToList();
        var institutions = rows.Select((r, i) =>
        {
            var peers = Enumerable.Range(0, rows.Count).Where(j => groups[j] == groups[i] && values[j] is not null).Select(j => values[j]!.Value).ToList();
            var attained = r.Year.Indicators.Targets.FirstOrDefault(t => t.Indicator == target);
            return new InstitutionRank(r.Institution, ZoneOf(r.Institution), r.Year, values[i], ranks[i], groups[i], peers.Count, values[i] is { } v ? PeerScore.Of(v, peers) : null,
                r.Institution.Targets?.BaseYear, attained?.AchievedChange, attained?.RequiredChange,
                ScorecardSetup.Place(r.Institution, site.Region.Code, r.Year.Indicators.EnergyPerArea, r.Year.Indicators.EnergyPerPerson, scorecard.Quotas));
        }).OrderBy(r => r.Rank ?? int.MaxValue).ThenBy(r => r.Institution.Id, StringComparer.Ordinal).ToList();

        var through = rows.Count > 0 ? rows[0].Year.Through : RollupPeriods.Local(new DateTime(year + 1, 1, 1), site.TimeZone);
        var buildings = await BuildingsAsync(year, through, cancellationToken).ConfigureAwait(false);
        return new Rankings(year, through, RankingMetrics.All.Contains(metric) ? metric : RankingMetrics.EnergyPerArea, catalog.For(year, site.Region.Code).Id, institutions, buildings);
    }

    /// <summary>An institution's climate zone: that of its largest building.</summary>
    public static ClimateZone ZoneOf(Institution institution) =>
        institution.Buildings.OrderByDescending(b => b.FloorArea.Value).Select(b => b.ClimateZone).FirstOrDefault();

    private async Task<IReadOnlyList<BuildingRank>> BuildingsAsync(int year, DateTimeOffset through, CancellationToken cancellationToken)
    {
        var set = catalog.For(year, site.Region.Code);
        var from = RollupPeriods.Local(new DateTime(year, 1, 1), site.TimeZone);
        var series = site.Buildings.SelectMany(b => EnergyKinds.Consumed.Select(k => (Series: SeriesGroups.Kind(SeriesScope.Building, b.Id, k), Building: b, Kind: k))).ToList();
        var rows = await rollups.RollupsAsync([.. series.Select(s => s.Series)], RollupPeriod.Day, from, through, cancellationToken).ConfigureAwait(false);
        var bySeries = rows.GroupBy(r => r.Series, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount), StringComparer.Ordinal);
        var result = site.Buildings.Select(b =>
        {
            var use = series.Where(s => s.Building == b).ToDictionary(s => s.Kind, s => bySeries.GetValueOrDefault(s.Series));
            var converted = EnergyConversion.Convert(use, set);
            var area = b.FloorArea.Value;
            return (Building: b, Kgce: converted.Kgce.Value, Co2: converted.Co2.Value, PerArea: area > 0 ? converted.Kgce.Value / area : (double?)null, Co2PerArea: area > 0 ? converted.Co2.Value / area : (double?)null);
        }).ToList();
        var ranks = PeerScore.Ranks([.. result.Select(r => r.PerArea)]);
        return [.. result.Select((r, i) => new BuildingRank(r.Building, site.Institutions.First(x => x.Buildings.Contains(r.Building)), r.Kgce, r.PerArea, r.Co2, r.Co2PerArea, ranks[i]))
            .OrderBy(r => r.Rank ?? int.MaxValue)];
    }
}
