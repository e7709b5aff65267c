using System.Text.Json;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

/// <summary>/indicators: an institution's latest daily indicators, as the daily job stored them.</summary>
internal static class IndicatorEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/indicators/{institution}", IndicatorsAsync).WithName("indicators").Produces<Analytics.Indicators.InstitutionIndicators>().ProducesProblem(404).WithSummary("An institution's latest daily indicators (人均综合能耗, 单位建筑面积能耗, targets, quota).");
    }

    private static async Task<IResult> IndicatorsAsync(string institution, SiteModel site, IIndicatorStore store, CancellationToken cancellationToken)
    {
        if (site.Institutions.All(i => i.Id != institution))
        {
            return NotFound($"no institution \"{QueryInput.Clip(institution)}\" in the site");
        }

        var latest = await store.LatestAsync(institution, cancellationToken).ConfigureAwait(false);
        // Stored as the job serialised it; served in the API's casing like every other answer.
        return latest is { } l && JsonSerializer.Deserialize<Analytics.Indicators.InstitutionIndicators>(l.Json) is { } indicators
            ? TypedResults.Ok(indicators)
            : NotFound($"no indicators computed yet for \"{institution}\" (the daily indicators job writes them)");
    }
}
