using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Scorecard;

/// <summary>
/// What the annual assessment needs besides the rollups: the scheme (none configured: no scores), the officer's
/// entries by year, and the quotas of config/quotas.yaml. Loaded once with the settings.
/// </summary>
public sealed record ScorecardSetup(ScoreScheme? Scheme, IReadOnlyDictionary<int, IReadOnlyDictionary<string, ScoreInput>> InputsByYear, IReadOnlyList<EnergyQuota> Quotas)
{
    public static ScorecardSetup None { get; } = new(null, new Dictionary<int, IReadOnlyDictionary<string, ScoreInput>>(), []);

    public IReadOnlyDictionary<string, ScoreInput> InputsFor(int year) =>
        InputsByYear.TryGetValue(year, out var inputs) ? inputs : new Dictionary<string, ScoreInput>();

    /// <summary>An institution's year placed against each quota that applies to its region and nature.</summary>
    public static IReadOnlyList<QuotaPosition> Place(ScoreResult result, SiteModel site, IReadOnlyList<EnergyQuota> quotas) =>
        Place(site.Institutions.First(i => i.Id == result.Institution), site.Region.Code, result.EnergyPerArea, result.EnergyPerPerson, quotas);

    /// <summary>An institution's 单位建筑面积能耗 and 人均综合能耗 placed against each quota that applies to its region and nature.</summary>
    public static IReadOnlyList<QuotaPosition> Place(Institution institution, string regionCode, double? energyPerArea, double? energyPerPerson, IReadOnlyList<EnergyQuota> quotas) =>
        [.. quotas.Where(q => q.AppliesTo(regionCode, institution.NatureCode))
            .Select(q => (Quota: q, Value: q.Indicator == IndicatorId.EnergyPerArea ? energyPerArea : energyPerPerson))
            .Where(p => p.Value is not null)
            .Select(p => QuotaPositions.Of(p.Quota, p.Value!.Value))];
}
