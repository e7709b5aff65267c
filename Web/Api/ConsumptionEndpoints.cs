using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

/// <summary>/consumption: one series at interval, hour, day or month resolution, with its estimated share.</summary>
internal static class ConsumptionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/consumption", ConsumptionAsync).WithName("consumption").Produces<ConsumptionDto>().ProducesProblem(400)
            .WithSummary("Consumption of one series (a meter id, or building/ID/KIND, institution/ID/KIND, region/CODE/KIND, …/item/CODE) from..to at interval, hour, day or month resolution, with its estimated share.");
    }

    private static async Task<IResult> ConsumptionAsync(HttpRequest request, SiteModel site, KnownSeriesSet known, IConsumptionStore store, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var series = q["series"].ToString();
        if (!known.Contains(series))
        {
            return Bad("series", series.Length == 0 ? "missing: a meter id or a group such as building/ID/electricity (see /api/v1/site)" : $"no series \"{QueryInput.Clip(series)}\" (see /api/v1/site)");
        }

        var resolution = q["resolution"].Count == 0 ? "day" : q["resolution"].ToString();
        if (resolution is not ("interval" or "hour" or "day" or "month"))
        {
            return Bad("resolution", $"\"{QueryInput.Clip(resolution)}\" is not one of interval, hour, day, month");
        }

        var meter = site.Meters.FirstOrDefault(m => m.Id.Value == series);
        if (resolution == "interval" && meter is null)
        {
            return Bad("resolution", "interval resolution is for a meter's series; groups start at hour");
        }

        if (!QueryInput.TryTime(q["from"], site.TimeZone, out var from, out var whyFrom))
        {
            return Bad("from", whyFrom);
        }

        if (!QueryInput.TryTime(q["to"], site.TimeZone, out var to, out var whyTo))
        {
            return Bad("to", whyTo);
        }

        if (to <= from)
        {
            return Bad("to", "must be after from");
        }

        if (to - from > QueryInput.MaxSpan(resolution))
        {
            return Bad("to", $"{resolution} resolution answers at most {QueryInput.MaxSpan(resolution).TotalDays:0} days at once");
        }

        // Every known series that is not a meter is a group of one kind (an item's is its item's).
        var unit = meter?.CanonicalUnit.Symbol ?? EnergyKinds.CanonicalUnit(SeriesKey.Parse(series).Kind!.Value).Symbol;
        List<ConsumptionRowDto> rows;
        if (resolution == "interval")
        {
            var intervals = await store.IntervalsAsync(meter!.Id, from, to, cancellationToken).ConfigureAwait(false);
            rows = [.. intervals.Select(i => new ConsumptionRowDto(i.Start, i.Amount, i.Estimated, i.Rejected))];
        }
        else
        {
            var period = resolution switch { "hour" => RollupPeriod.Hour, "day" => RollupPeriod.Day, _ => RollupPeriod.Month };
            var rollups = await store.RollupsAsync([series], period, from, to, cancellationToken).ConfigureAwait(false);
            rows = [.. rollups.Select(r => new ConsumptionRowDto(TimeZoneInfo.ConvertTime(r.Start, site.TimeZone), r.Amount, r.Estimated, r.Rejected))];
        }

        var total = rows.Sum(r => r.Amount);
        return TypedResults.Ok(new ConsumptionDto(series, resolution, unit, from, to, total, total > 0 ? rows.Sum(r => r.Estimated) / total : 0, rows));
    }
}
