using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// The web console's pages: each reads its numbers through the query service the API also answers from
/// (<see cref="OverviewQuery"/>, <see cref="BuildingQuery"/>, <see cref="MeterStatusQuery"/>), formats them for
/// people, and renders its template; charts are drawn in the browser by the vendored uPlot from JSON the page carries.
/// Read-mostly: the one write is an operator acknowledging an alert, through a form with an antiforgery token.
/// </summary>
public static class ConsolePages
{
    private static readonly string[] Severities = ["critical", "warning", "info"];

    // Inside <script type="application/json"> HTML entities are not decoded: the JSON itself escapes <, > and &.
    private static readonly JsonSerializerOptions ChartJson = new() { Encoder = JavaScriptEncoder.Default, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Map(IEndpointRouteBuilder app)
    {
        // The reports' shipped CJK font, so that the console reads the same on a screen with no Chinese font.
        app.MapGet("/fonts/cjk.woff2", (HttpContext c) =>
        {
            c.Response.Headers.CacheControl = "public, max-age=604800";
            return Results.Bytes(Reports.Charts.ReportFonts.Shipped.Woff2!, "font/woff2");
        }).AllowAnonymous();
        ConsoleAuthEndpoints.Map(app);
        var pages = app.MapGroup("").RequireAuthorization(WebSetup.ViewerPolicy);
        pages.MapGet("/", OverviewAsync);
        pages.MapGet("/buildings/{id}", BuildingAsync);
        pages.MapGet("/alerts", AlertsAsync);
        pages.MapPost("/alerts/{id:long}/ack", AcknowledgeAsync).RequireAuthorization(WebSetup.OperatorPolicy);
        pages.MapGet("/reports", ReportsAsync);
        AdminPages.Map(pages);
        SubmissionPage.Map(pages);
        RankingPage.Map(pages);
        ScorecardPage.Map(pages);
        SavingsPage.Map(pages);
        MeterPage.Map(pages);
        FlowPage.Map(pages);

        // The console's own link to a report: the API answers keys only.
        pages.MapGet("/reports/{id:long}/download", Api.ReportEndpoints.DownloadAsync);
    }

    private static async Task<IResult> OverviewAsync(HttpContext context, SiteModel site, OverviewQuery query, CancellationToken cancellationToken)
    {
        var o = await query.GetAsync(cancellationToken).ConfigureAwait(false);
        var language = ConsoleRenderer.Language(context);
        static double?[] Rounded(IReadOnlyList<double?> values) => [.. values.Select(v => v is { } x ? Math.Round(x, 1) : (double?)null)];
        var chart = JsonSerializer.Serialize(new
        {
            x = Enumerable.Range(1, o.DailyKgce.Count).ToArray(),
            series = new[] { new { label = ConsoleText.ThisYear.In(language), values = Rounded(o.DailyKgce) }, new { label = ConsoleText.LastYear.In(language), values = Rounded(o.DailyKgceLastYear) } },
            kind = "bars",
        }, ChartJson);
        return await ConsoleRenderer.RenderAsync(context, "overview", new
        {
            Month = $"{o.Today:yyyy-MM}",
            ThisMonth = (o.MonthToDateKgce / 1000).ToString("N2", CultureInfo.InvariantCulture),
            LastYear = o.SameDaysLastYearKgce > 0 ? (o.SameDaysLastYearKgce / 1000).ToString("N2", CultureInfo.InvariantCulture) : "—",
            Change = o.Change is { } c ? (c * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %" : "—",
            Down = o.MonthToDateKgce <= o.SameDaysLastYearKgce,
            Open = o.OpenAlerts.Count,
            Critical = o.OpenAlerts.Count(a => a.Finding.Severity == AlertSeverity.Critical),
            Offline = o.Meters.Count(s => s.Status == MeterStatus.Offline),
            Late = o.Meters.Count(s => s.Status == MeterStatus.Late),
            Meters = o.Meters.Count,
            Chart = chart,
            Buildings = o.Buildings.Select(b => new
            {
                b.Building.Id,
                b.Building.Name,
                Institution = b.Institution.Name,
                Area = b.Building.FloorArea.Value.ToString("N0", CultureInfo.InvariantCulture),
                Kgce = b.Kgce.ToString("N0", CultureInfo.InvariantCulture),
                PerArea = b.KgcePerSquareMetre is { } perArea ? perArea.ToString("N2", CultureInfo.InvariantCulture) : "—",
                Offline = b.OfflineMeters,
            }).ToList(),
            Alerts = o.OpenAlerts.Take(10).Select(a => AlertRow(a, language, site)).ToList(),
        }).ConfigureAwait(false);
    }

    private static object AlertRow(Alert a, Language language, SiteModel site) => new
    {
        a.Id,
        Severity = a.Finding.Severity.ToString().ToLowerInvariant(),
        State = a.State.ToString().ToLowerInvariant(),
        Opened = TimeZoneInfo.ConvertTime(a.OpenedAt, site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        Building = site.Buildings.FirstOrDefault(b => b.Id == a.Finding.Building)?.Name ?? a.Finding.Building ?? "",
        BuildingId = a.Finding.Building,
        Summary = a.Finding.Summary.In(language),
        Action = a.Finding.Action.In(language),
        CanAcknowledge = a.State == AlertState.Open,
    };

    /// <summary>One kWh series over time as the console's chart script reads it: instants in Unix seconds, drawn in the site's zone.</summary>
    private static string TimeChart(IReadOnlyList<(DateTimeOffset At, double? Kwh)> points, string kind, TimeZoneInfo zone) => JsonSerializer.Serialize(new
    {
        x = points.Select(p => (double)p.At.ToUnixTimeSeconds()).ToArray(),
        series = new[] { new { label = "kWh", values = points.Select(p => p.Kwh).ToArray() } },
        kind,
        time = true,
        tz = zone.Id,
    }, ChartJson);

    private static async Task<IResult> BuildingAsync(string id, HttpContext context, BuildingQuery query, CancellationToken cancellationToken)
    {
        if (await query.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } b)
        {
            return Results.NotFound();
        }

        var language = ConsoleRenderer.Language(context);
        var zone = b.TimeZone;
        var dailyChart = TimeChart([.. b.Daily.Select(d => (d.Start, d.Kwh is { } v ? Math.Round(v, 1) : (double?)null))], "bars", zone);
        var hourlyChart = TimeChart([.. b.Hourly.Select(h => (h.Hour, h.Kwh is { } v ? Math.Round(v, 2) : (double?)null))], "line", zone);
        return await ConsoleRenderer.RenderAsync(context, "building", new
        {
            b.Building.Id,
            b.Building.Name,
            Institution = b.Institution.Name,
            Area = b.Building.FloorArea.Value.ToString("N0", CultureInfo.InvariantCulture),
            Meters = b.Meters.Select(s => new
            {
                Id = s.Meter.Id.Value,
                s.Meter.Name,
                Kind = EnergyKinds.DisplayName(s.Meter.Kind).In(language),
                Latest = s.Latest is { } l ? $"{l.Value.ToString("N2", CultureInfo.InvariantCulture)} {s.Meter.CanonicalUnit.Symbol}" : "—", // stored readings are in the kind's unit
                ReadAt = s.Latest is { } r ? TimeZoneInfo.ConvertTime(r.Timestamp, zone).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : "—",
                Status = MeterStatuses.Name(s.Status),
            }).ToList(),
            Daily = dailyChart,
            Hourly = hourlyChart,
            Items = b.SubItems.Select(i => new
            {
                i.Item.Code,
                Name = i.Item.Name.In(language),
                Amount = i.Kwh.ToString("N0", CultureInfo.InvariantCulture),
                Share = i.Share is { } share ? (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—",
            }).ToList(),
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> AlertsAsync(HttpContext context, SiteModel site, IAlertStore alerts, CancellationToken cancellationToken)
    {
        var q = context.Request.Query;
        var active = q["state"].ToString() != "all";
        var severity = Enum.TryParse<AlertSeverity>(q["severity"].ToString(), ignoreCase: true, out var s) && !int.TryParse(q["severity"].ToString(), out _) ? s : (AlertSeverity?)null;
        var building = site.Buildings.Any(b => b.Id == q["building"].ToString()) ? q["building"].ToString() : null;
        var list = await alerts.ListAsync(new AlertQuery(active, building, severity, Limit: 500), cancellationToken).ConfigureAwait(false);
        var language = ConsoleRenderer.Language(context);
        return await ConsoleRenderer.RenderAsync(context, "alerts", new
        {
            Active = active,
            Severity = severity?.ToString().ToLowerInvariant() ?? "",
            Severities,
            Building = building ?? "",
            Buildings = site.Buildings.Select(b => new { b.Id, b.Name }).ToList(),
            Alerts = list.Select(a => AlertRow(a, language, site)).ToList(),
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> AcknowledgeAsync(long id, HttpContext context, IAlertStore alerts, IAuditLog audit, IAntiforgery antiforgery, TimeProvider time, CancellationToken cancellationToken)
    {
        var (form, refusal) = await ConsoleForms.ReadAsync(context, antiforgery).ConfigureAwait(false);
        if (form is null)
        {
            return refusal!;
        }

        if (await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { State: AlertState.Open } alert)
        {
            var now = time.GetUtcNow();
            await alerts.AcknowledgeAsync(id, Actors.Of(context.User), now, cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(new AuditEntry(0, now, Actors.Of(context.User), AuditActions.AlertAcknowledged, $"{id}", alert.Finding.Summary.Zh), cancellationToken).ConfigureAwait(false);
        }

        // Back to the page the button was on; only a local path, so the form cannot send anyone elsewhere.
        var back = form["back"].ToString();
        return Results.Redirect(ConsoleForms.IsLocalPath(back) ? back : "/alerts");
    }

    private static async Task<IResult> ReportsAsync(HttpContext context, SiteModel site, IReportArchive archive, CancellationToken cancellationToken)
    {
        var reports = await archive.ListAsync(cancellationToken).ConfigureAwait(false);
        return await ConsoleRenderer.RenderAsync(context, "reports", new
        {
            Reports = reports.OrderByDescending(r => r.GeneratedAt).Select(r => new
            {
                r.Id,
                r.Period,
                r.Scope,
                r.Format,
                File = Path.GetFileName(r.Path),
                Generated = TimeZoneInfo.ConvertTime(r.GeneratedAt, site.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Size = r.Bytes >= 1024 * 1024 ? $"{r.Bytes / 1048576.0:0.0} MB" : $"{r.Bytes / 1024.0:0} KB",
            }).ToList(),
        }).ConfigureAwait(false);
    }
}
