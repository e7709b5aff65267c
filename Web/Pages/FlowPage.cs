using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Pages;

/// <summary>能流图: the period's energy from the region through institutions and buildings to the 分项 items, as a Sankey drawn on the server and as a table.</summary>
internal static class FlowPage
{
    public static void Map(RouteGroupBuilder pages) => pages.MapGet("/flow", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, SiteModel site, EnergyFlowQuery query, TimeProvider time, CancellationToken cancellationToken)
    {
        var (period, valid) = query.PeriodOf(context.Request.Query["period"].ToString());
        var unit = query.Units.Contains(context.Request.Query["unit"].ToString()) ? context.Request.Query["unit"].ToString() : EnergyFlowQuery.Kgce;
        var flow = await query.GetAsync(period, unit, cancellationToken).ConfigureAwait(false);
        var language = ConsoleRenderer.Language(context);
        var names = flow.Graph.Nodes.ToDictionary(n => n.Id, n => n.Name.In(language), StringComparer.Ordinal);
        var levels = flow.Graph.Nodes.ToDictionary(n => n.Id, n => n.Level, StringComparer.Ordinal);
        var total = flow.Graph.Total;
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone);
        var title = $"{ConsoleText.Flow.In(language)} {period}（{flow.UnitSymbol}）";
        return await ConsoleRenderer.RenderAsync(context, "flow", new
        {
            Period = period.ToString(),
            Invalid = !valid,
            Periods = Enumerable.Range(0, 14).Select(i => new DateTime(now.Year, now.Month, 1).AddMonths(-i)).Select(d => $"{d:yyyy-MM}")
                .Concat(Enumerable.Range(1, 3).Select(i => $"{now.Year - i:D4}")).Prepend($"{now.Year:D4}").Distinct().ToList(),
            Unit = flow.Unit,
            Units = query.Units.Select(u => new { Id = u, Name = u == EnergyFlowQuery.Kgce ? (language.IsEnglish ? "kgce (all kinds)" : "kgce（折标，全部品种）") : EnergyKinds.TryParse(u, out var k) ? EnergyKinds.DisplayName(k).In(language) : u }).ToList(),
            Symbol = flow.UnitSymbol,
            flow.CoefficientSet,
            Total = total.ToString("N0", CultureInfo.InvariantCulture),
            Excess = flow.Graph.ChildrenExcess > 0 ? flow.Graph.ChildrenExcess.ToString("N0", CultureInfo.InvariantCulture) : "",
            Empty = total <= 0,
            Svg = SankeySvg.Render(flow.Graph, language, flow.UnitSymbol, title),
            Links = flow.Graph.Links.OrderBy(l => levels[l.To]).Select(l => new
            {
                From = names[l.From],
                To = names[l.To],
                Level = levels[l.To],
                Value = l.Value.ToString("N0", CultureInfo.InvariantCulture),
                Share = total > 0 ? (l.Value / total * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—",
            }).ToList(),
        }).ConfigureAwait(false);
    }
}
