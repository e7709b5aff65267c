using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

/// <summary>/meters: every meter with its latest reading and its status, by the rule of <see cref="MeterStatusQuery"/>.</summary>
internal static class MeterEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/meters", MetersAsync).WithName("meters").Produces<IReadOnlyList<MeterStatusDto>>().ProducesProblem(400).WithSummary("Every meter with its latest reading and status; ?building= narrows to one building.");
    }

    private static async Task<IResult> MetersAsync(HttpRequest request, SiteModel site, MeterStatusQuery statuses, CancellationToken cancellationToken)
    {
        var building = request.Query["building"].ToString();
        if (building.Length > 0 && site.Buildings.All(b => b.Id != building))
        {
            return Bad("building", $"no building \"{QueryInput.Clip(building)}\" in the site");
        }

        var states = await statuses.ListAsync(building.Length > 0 ? building : null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(states.Select(MeterStatusDto.From).ToList());
    }
}
