using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Web.Api;

/// <summary>The series the API answers for, computed once from the site.</summary>
public sealed class KnownSeriesSet(SiteModel site)
{
    private readonly IReadOnlySet<string> _series = SiteEndpoints.KnownSeries(site);

    public bool Contains(string series) => _series.Contains(series);
}
