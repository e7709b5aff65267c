using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

/// <summary>
/// /overview and /buildings/{id}: the numbers behind the console's first page and a building's page, from the same
/// query services, so a page never shows what the API cannot.
/// </summary>
internal static class OverviewEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/overview", OverviewAsync).WithName("overview").Produces<OverviewDto>()
            .WithSummary("The region's month to date against the same days of last year (kgce, by local day), each building's month, open alerts and meter counts by status.");
        api.MapGet("/buildings/{id}", BuildingAsync).WithName("building").Produces<BuildingPageDto>().ProducesProblem(404)
            .WithSummary("A building's electricity: the last 31 local days and 48 hours (kWh, null without a rollup), this month's sub-items and its meters' statuses.");
    }

    private static async Task<IResult> OverviewAsync(OverviewQuery query, CancellationToken cancellationToken)
    {
        var o = await query.GetAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new OverviewDto(o.Today, o.MonthToDateKgce, o.SameDaysLastYearKgce, o.Change, o.DailyKgce, o.DailyKgceLastYear,
            [.. o.Buildings.Select(b => new BuildingMonthDto(b.Building.Id, b.Building.Name, b.Institution.Id, b.Building.FloorArea.Value, b.Kgce, b.KgcePerSquareMetre, b.OfflineMeters))],
            o.OpenAlerts.Count, o.OpenAlerts.Count(a => a.Finding.Severity == AlertSeverity.Critical),
            Enum.GetValues<MeterStatus>().ToDictionary(MeterStatuses.Name, s => o.Meters.Count(m => m.Status == s))));
    }

    private static async Task<IResult> BuildingAsync(string id, BuildingQuery query, CancellationToken cancellationToken)
    {
        if (await query.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } b)
        {
            return NotFound($"no building \"{QueryInput.Clip(id)}\" in the site");
        }

        return TypedResults.Ok(new BuildingPageDto(b.Building.Id, b.Building.Name, b.Institution.Id, b.Building.FloorArea.Value,
            [.. b.Daily.Select(d => new DayValueDto(d.Day, d.Kwh))],
            [.. b.Hourly.Select(h => new HourValueDto(h.Hour, h.Kwh))],
            [.. b.SubItems.Select(s => new SubItemDto(s.Item.Code, s.Item.NameZh, s.Item.NameEn, s.Kwh, s.Share))],
            [.. b.Meters.Select(MeterStatusDto.From)]));
    }
}
