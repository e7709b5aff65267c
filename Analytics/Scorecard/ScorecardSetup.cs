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
    public static IReadOnlyList<QuotaPosition> Place(ScoreResult result, SiteModel site, IReadOnlyList<EnergyQuota> quotas)
    {
        var institution = site.Institutions.First(i => i.Id == result.Institution);
        return [.. quotas.Where(q => q.AppliesTo(site.Region.Code, institution.NatureCode))
            .Select(q => (Quota: q, Value: q.Indicator == IndicatorId.EnergyPerArea ? result.EnergyPerArea : result.EnergyPerPerson))
            .Where(p => p.Value is not null)
            .Select(p => QuotaPositions.Of(p.Quota, p.Value!.Value))];
    }
}
