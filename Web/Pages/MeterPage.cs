using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// 表计与数据质量: every meter under its parent with its status, last reading and this month's estimated and rejected
/// shares, filtered by status to find the meters that lie; and each parent's unmetered remainder over 30 days.
/// </summary>
internal static class MeterPage
{
    private static readonly JsonSerializerOptions ChartJson = new() { Encoder = JavaScriptEncoder.Default, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The filters: a status, or "suspect" for data in doubt.</summary>
    public static IReadOnlyList<string> Filters { get; } = ["ok", "late", "offline", "suspect"];

    public static void Map(RouteGroupBuilder pages) => pages.MapGet("/meters", RenderAsync);

    private static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    private static async Task<IResult> RenderAsync(HttpContext context, SiteModel site, MeterTreeQuery query, CancellationToken cancellationToken)
    {
        var q = context.Request.Query;
        var building = site.Buildings.Any(b => b.Id == q["building"].ToString()) ? q["building"].ToString() : null;
        var filter = Filters.Contains(q["status"].ToString()) ? q["status"].ToString() : "";
        var tree = await query.GetAsync(building, cancellationToken).ConfigureAwait(false);
        var language = ConsoleRenderer.Language(context);
        var zone = site.TimeZone;
        bool Shown(MeterNode n) => filter switch
        {
            "" => true,
            "suspect" => n.Suspect,
            _ => MeterStatuses.Name(n.State.Status) == filter,
        };

        var days = tree.Balances.SelectMany(b => b.Days.Select(d => d.Start)).Distinct().Order().ToList();
        var chart = JsonSerializer.Serialize(new
        {
            x = days.Select(d => (double)d.ToUnixTimeSeconds()).ToArray(),
            series = tree.Balances.Select(b => new
            {
                label = b.Parent.Name,
                values = days.Select(d => b.Days.FirstOrDefault(p => p.Start == d) is { Share: { } s } ? Math.Round(s * 100, 1) : (double?)null).ToArray(),
            }).ToArray(),
            kind = "line",
            time = true,
            tz = zone.Id,
        }, ChartJson);
        return await ConsoleRenderer.RenderAsync(context, "meters", new
        {
            Month = $"{tree.MonthStart:yyyy-MM}",
            Building = building ?? "",
            Buildings = site.Buildings.Select(b => new { b.Id, b.Name }).ToList(),
            Filter = filter,
            Filters,
            Groups = tree.Buildings.Select(g => new
            {
                g.Building.Id,
                g.Building.Name,
                Meters = g.Meters.Where(Shown).Select(n => new
                {
                    Id = n.State.Meter.Id.Value,
                    n.State.Meter.Name,
                    Depth = Math.Min(n.Depth, 4),
                    Kind = EnergyKinds.DisplayName(n.State.Meter.Kind).In(language),
                    Item = n.State.Meter.Item?.Code ?? "",
                    Status = MeterStatuses.Name(n.State.Status),
                    Latest = n.State.Latest is { } l ? $"{l.Value.ToString("N2", CultureInfo.InvariantCulture)} {n.State.Meter.CanonicalUnit.Symbol}" : "—",
                    ReadAt = n.State.Latest is { } r ? TimeZoneInfo.ConvertTime(r.Timestamp, zone).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : "—",
                    Use = n.State.Meter.IsGauge ? "—" : n.Month.Amount.ToString("N0", CultureInfo.InvariantCulture),
                    Estimated = n.State.Meter.IsGauge ? "—" : Percent(n.Month.EstimatedShare),
                    Rejected = n.State.Meter.IsGauge ? "—" : Percent(n.Month.RejectedShare),
                    n.Suspect,
                }).ToList(),
            }).Where(g => g.Meters.Count > 0).ToList(),
            Balances = tree.Balances.Select(b => new
            {
                Parent = b.Parent.Name,
                Children = string.Join("、", b.Children.Select(c => c.Name)),
                Unit = b.Parent.CanonicalUnit.Symbol,
                Total = b.Parent30.ToString("N0", CultureInfo.InvariantCulture),
                Remainder = b.Remainder30.ToString("N0", CultureInfo.InvariantCulture),
                Share = Percent(b.Share30),
                Negative = b.Remainder30 < 0,
                Days = b.Days.Count,
            }).ToList(),
            Chart = chart,
            DailyShares = days.Select(d => new
            {
                Day = TimeZoneInfo.ConvertTime(d, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Values = tree.Balances.Select(b => b.Days.FirstOrDefault(p => p.Start == d) is { Share: { } s } ? Percent(s) : "—").ToList(),
            }).ToList(),
        }).ConfigureAwait(false);
    }
}
