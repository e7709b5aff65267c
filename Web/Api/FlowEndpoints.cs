using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

public sealed record MeterQualityDto(string Id, string Name, string Building, string? Parent, int Depth, string Kind, string Status, double MonthUse, double? EstimatedShare, double? RejectedShare, bool Suspect);

public sealed record BalanceDayDto(DateTimeOffset Start, double Parent, double Children, double Remainder, double? Share);

public sealed record MeterBalanceDto(string Parent, IReadOnlyList<string> Children, double ParentUse, double Remainder, double? Share, IReadOnlyList<BalanceDayDto> Days);

public sealed record MeterTreeDto(string Month, IReadOnlyList<MeterQualityDto> Meters, IReadOnlyList<MeterBalanceDto> Balances);

public sealed record FlowNodeDto(string Id, int Level, string Name, double Value);

public sealed record FlowLinkDto(string From, string To, double Value);

public sealed record FlowDto(string Period, string Unit, string CoefficientSet, double Total, double ChildrenExcess, IReadOnlyList<FlowNodeDto> Nodes, IReadOnlyList<FlowLinkDto> Links);

/// <summary>/meters/tree and /flow: the meter page's tree and data quality, and the energy flow's nodes and links.</summary>
internal static class FlowEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/meters/tree", TreeAsync).WithName("meter-tree").Produces<MeterTreeDto>().ProducesProblem(400)
            .WithSummary("Every meter under its parent with this month's use and its estimated and rejected shares, and each parent's unmetered remainder over 30 days; ?building= for one.");
        api.MapGet("/flow", FlowAsync).WithName("flow").Produces<FlowDto>().ProducesProblem(400)
            .WithSummary("The energy flow region → institutions → buildings → items for ?period=yyyy-MM or yyyy (default last month), in ?unit=kgce (default) or a kind's unit; sub-meters counted inside their parents.");
    }

    private static async Task<IResult> TreeAsync(HttpRequest request, SiteModel site, MeterTreeQuery query, CancellationToken cancellationToken)
    {
        var building = request.Query["building"].ToString();
        if (building.Length > 0 && site.Buildings.All(b => b.Id != building))
        {
            return Bad("building", $"no building \"{QueryInput.Clip(building)}\" in the site");
        }

        var tree = await query.GetAsync(building.Length > 0 ? building : null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new MeterTreeDto($"{tree.MonthStart:yyyy-MM}",
            [.. tree.Buildings.SelectMany(g => g.Meters.Select(n => new MeterQualityDto(n.State.Meter.Id.Value, n.State.Meter.Name, g.Building.Id, n.State.Meter.Parent?.Value, n.Depth,
                Core.Domain.EnergyKinds.ConfigName(n.State.Meter.Kind), MeterStatuses.Name(n.State.Status), n.Month.Amount, n.Month.EstimatedShare, n.Month.RejectedShare, n.Suspect)))],
            [.. tree.Balances.Select(b => new MeterBalanceDto(b.Parent.Id.Value, [.. b.Children.Select(c => c.Id.Value)], b.Parent30, b.Remainder30, b.Share30,
                [.. b.Days.Select(d => new BalanceDayDto(d.Start, d.Parent, d.Children, d.Remainder, d.Share))]))]));
    }

    private static async Task<IResult> FlowAsync(HttpRequest request, EnergyFlowQuery query, CancellationToken cancellationToken)
    {
        var (period, valid) = query.PeriodOf(request.Query["period"].ToString());
        var unit = request.Query["unit"].Count == 0 ? EnergyFlowQuery.Kgce : request.Query["unit"].ToString();
        if (!valid)
        {
            return Bad("period", "yyyy-MM or yyyy, from 2000");
        }

        if (!query.Units.Contains(unit))
        {
            return Bad("unit", string.Join(", ", query.Units));
        }

        var flow = await query.GetAsync(period, unit, cancellationToken).ConfigureAwait(false);
        var language = Language(request);
        return TypedResults.Ok(new FlowDto(flow.Period.ToString(), flow.UnitSymbol, flow.CoefficientSet, flow.Graph.Total, flow.Graph.ChildrenExcess,
            [.. flow.Graph.Nodes.Select(n => new FlowNodeDto(n.Id, n.Level, n.Name.In(language), n.Value))],
            [.. flow.Graph.Links.Select(l => new FlowLinkDto(l.From, l.To, l.Value))]));
    }
}
