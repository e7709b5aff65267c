using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Fluid;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Web;

/// <summary>
/// The web console: small server-rendered pages (Fluid templates, every value HTML-encoded by the engine), charts
/// drawn in the browser by the vendored uPlot from JSON the page carries. Read-mostly: the one write is an
/// operator acknowledging an alert, through a form with an antiforgery token.
/// </summary>
public static class ConsolePages
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { MemberAccessStrategy = UnsafeMemberAccessStrategy.Instance };

    // Encodes what HTML needs (<, >, &, quotes) but leaves Chinese as characters rather than &#x...; entities.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    private static readonly Dictionary<string, IFluidTemplate> Templates = LoadTemplates();
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
        app.MapGet("/login", (HttpContext c, IAntiforgery af) => Render(c, "login", new { Failed = false, Token = af.GetAndStoreTokens(c) })).AllowAnonymous();
        app.MapPost("/login", LoginAsync).AllowAnonymous();
        app.MapPost("/logout", async (HttpContext c, IAntiforgery af) =>
        {
            if ((await ConsoleForms.ReadAsync(c, af).ConfigureAwait(false)).Refusal is { } refusal)
            {
                return refusal;
            }

            c.RequestServices.GetRequiredService<ConsoleSessions>().End(c.User);
            await c.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        }).RequireAuthorization(WebSetup.ViewerPolicy);
        var pages = app.MapGroup("").RequireAuthorization(WebSetup.ViewerPolicy);
        pages.MapGet("/", OverviewAsync);
        pages.MapGet("/buildings/{id}", BuildingAsync);
        pages.MapGet("/alerts", AlertsAsync);
        pages.MapPost("/alerts/{id:long}/ack", AcknowledgeAsync).RequireAuthorization(WebSetup.OperatorPolicy);
        pages.MapGet("/reports", ReportsAsync);

        // The console's own link to a report: the API answers keys only.
        pages.MapGet("/reports/{id:long}/download", ApiEndpoints.DownloadAsync);
    }

    private static Dictionary<string, IFluidTemplate> LoadTemplates()
    {
        var assembly = typeof(ConsolePages).Assembly;
        var result = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Web.Templates.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var key = name["Web.Templates.".Length..^".liquid".Length];
            result[key] = Parser.TryParse(reader.ReadToEnd(), out var template, out var error) ? template : throw new InvalidOperationException($"console template {key}: {error}");
        }

        return result;
    }

    private static Language Language(HttpContext context) => Core.Domain.Language.FromQuery(context.Request.Query["lang"].ToString());

    private static async Task<IResult> Render(HttpContext context, string page, object model, int status = 200)
    {
        var language = Language(context);
        var text = ConsoleText.For(language);
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        var role = context.User.FindFirst(ClaimTypes.Role)?.Value ?? "";
        var token = user is null ? null : context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var here = context.Request.Path.Value + context.Request.QueryString.Value;
        var body = await Templates[page].RenderAsync(new TemplateContext(new { T = text, Model = model, Lang = language.Code, Operator = ApiKeys.Allows(role, "operator"), Token = token, Here = here }, Options),
            Encoder).ConfigureAwait(false);
        var suffix = language.IsEnglish ? "?lang=en" : "";
        var html = await Templates["layout"].RenderAsync(new TemplateContext(new
        {
            T = text,
            Lang = language.Code,
            HtmlLang = language.Tag,
            Page = page,
            Body = body,
            User = user,
            Suffix = suffix,
            Other = language.IsEnglish ? context.Request.Path.Value : context.Request.Path.Value + "?lang=en",
            Token = token,
        }, Options), Encoder).ConfigureAwait(false);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    // Every form carries the antiforgery token of its page; one posted from elsewhere, even with the session
    // cookie, does not, and changes nothing.
    private static async Task<IResult> LoginAsync(HttpContext context, KeyRing keys, AuthFailureThrottle throttle, IAntiforgery antiforgery, TimeProvider time)
    {
        var (form, refusal) = await ConsoleForms.ReadAsync(context, antiforgery).ConfigureAwait(false);
        if (form is null)
        {
            return refusal!;
        }

        var key = form["key"].ToString().Trim();
        var (outcome, caller, refusedUntil) = ApiKeyAuthenticationHandler.Authenticate(context, key, keys, throttle, time);
        if (outcome != KeyCheck.Valid || caller is null)
        {
            if (refusedUntil is { } until)
            {
                context.Response.Headers.RetryAfter = AuthFailureThrottle.RetryAfter(until, time.GetUtcNow());
            }

            return await Render(context, "login", new { Failed = true, Token = antiforgery.GetAndStoreTokens(context) },
                refusedUntil is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status429TooManyRequests).ConfigureAwait(false);
        }

        var session = context.RequestServices.GetRequiredService<ConsoleSessions>().Start(caller, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, session).ConfigureAwait(false);
        var back = Core.Domain.Language.FromQuery(form["lang"].ToString()).IsEnglish ? "/?lang=en" : "/";
        return Results.Redirect(back);
    }

    /// <summary>
    /// A path on this site and nothing else: one leading slash, then printable ASCII with no backslash. Browsers drop
    /// a TAB or a newline from a URL, so "/\t/evil.example" would have become "//evil.example", another site; and a
    /// character outside ASCII cannot go into a Location header at all (it was a 500 after the acknowledgement).
    /// </summary>
    public static bool IsLocalPath(string back) =>
        back.Length is > 0 and <= 512 && back[0] == '/' && (back.Length == 1 || back[1] is not ('/' or '\\'))
        && back.All(c => c is > ' ' and < (char)127 && c != '\\');

    private static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone) => RollupPeriods.Local(day.ToDateTime(TimeOnly.MinValue), zone);

    private static async Task<IResult> OverviewAsync(HttpContext context, SiteModel site, IConsumptionStore rollups, IReadingStore readings, IAlertStore alerts, CoefficientCatalog catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var lastYearStart = monthStart.AddYears(-1);
        var set = catalog.For(today.Year, site.Region.Code);
        var lastSet = catalog.TryFor(today.Year - 1, site.Region.Code) ?? set;
        double Kgce(IEnumerable<RollupRow> rows, CoefficientSet s, Dictionary<string, EnergyKind> kinds) => rows.Sum(r => (s.Kgce(kinds[r.Series])?.PerUnit ?? 0) * r.Amount);

        var regionKinds = EnergyKinds.Consumed.ToDictionary(k => SeriesGroups.Kind(SeriesScope.Region, site.Region.Code, k));
        var now = await rollups.RollupsAsync(regionKinds.Keys, RollupPeriod.Day, LocalMidnight(monthStart, zone), LocalMidnight(today.AddDays(1), zone), cancellationToken).ConfigureAwait(false);
        var before = await rollups.RollupsAsync(regionKinds.Keys, RollupPeriod.Day, LocalMidnight(lastYearStart, zone), LocalMidnight(lastYearStart.AddMonths(1), zone), cancellationToken).ConfigureAwait(false);
        var days = DateTime.DaysInMonth(today.Year, today.Month);
        double?[] Daily(IReadOnlyList<RollupRow> rows, DateOnly first, CoefficientSet s)
        {
            var values = new double?[days];
            foreach (var g in rows.GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.Start, zone).DateTime)))
            {
                var i = g.Key.DayNumber - first.DayNumber;
                if (i >= 0 && i < days)
                {
                    values[i] = Math.Round(Kgce(g, s, regionKinds), 1);
                }
            }

            return values;
        }

        var thisMonth = Kgce(now, set, regionKinds);
        var sameDaysLastYear = Kgce(before.Where(r => r.Start < LocalMidnight(lastYearStart.AddDays(today.Day), zone)), lastSet, regionKinds);
        var open = (await alerts.ListAsync(new AlertQuery(ActiveOnly: true, Limit: 1000), cancellationToken).ConfigureAwait(false)).ToList();
        var statuses = await context.RequestServices.GetRequiredService<MeterStatusQuery>().ListAsync(null, cancellationToken).ConfigureAwait(false);

        // Each building's month so far, by its kind series.
        var buildingSeries = site.Buildings.SelectMany(b => EnergyKinds.Consumed.Select(k => (Series: SeriesGroups.Kind(SeriesScope.Building, b.Id, k), Building: b, Kind: k))).ToList();
        var buildingRows = await rollups.RollupsAsync(buildingSeries.Select(s => s.Series).ToList(), RollupPeriod.Day, LocalMidnight(monthStart, zone), LocalMidnight(today.AddDays(1), zone), cancellationToken).ConfigureAwait(false);
        var bySeries = buildingSeries.ToDictionary(s => s.Series);
        var buildings = site.Institutions.SelectMany(i => i.Buildings.Select(b =>
        {
            var kgce = buildingRows.Where(r => bySeries[r.Series].Building == b).Sum(r => (set.Kgce(bySeries[r.Series].Kind)?.PerUnit ?? 0) * r.Amount);
            return new
            {
                b.Id,
                b.Name,
                Institution = i.Name,
                Area = b.FloorArea.Value.ToString("N0", CultureInfo.InvariantCulture),
                Kgce = kgce.ToString("N0", CultureInfo.InvariantCulture),
                PerArea = b.FloorArea.Value > 0 ? (kgce / b.FloorArea.Value).ToString("N2", CultureInfo.InvariantCulture) : "—",
                Offline = statuses.Count(s => s.Building == b && s.Status == MeterStatus.Offline),
            };
        })).ToList();
        var chart = JsonSerializer.Serialize(new
        {
            x = Enumerable.Range(1, days).ToArray(),
            series = new[] { new { label = ConsoleText.ThisYear.In(Language(context)), values = Daily(now, monthStart, set) }, new { label = ConsoleText.LastYear.In(Language(context)), values = Daily(before, lastYearStart, lastSet) } },
            kind = "bars",
        }, ChartJson);
        var language = Language(context);
        return await Render(context, "overview", new
        {
            Month = $"{today:yyyy-MM}",
            ThisMonth = (thisMonth / 1000).ToString("N2", CultureInfo.InvariantCulture),
            LastYear = sameDaysLastYear > 0 ? (sameDaysLastYear / 1000).ToString("N2", CultureInfo.InvariantCulture) : "—",
            Change = sameDaysLastYear > 0 ? ((thisMonth - sameDaysLastYear) / sameDaysLastYear * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %" : "—",
            Down = thisMonth <= sameDaysLastYear,
            Open = open.Count,
            Critical = open.Count(a => a.Finding.Severity == AlertSeverity.Critical),
            Offline = statuses.Count(s => s.Status == MeterStatus.Offline),
            Late = statuses.Count(s => s.Status == MeterStatus.Late),
            Meters = statuses.Count,
            Chart = chart,
            Buildings = buildings,
            Alerts = open.Take(10).Select(a => AlertRow(a, language, site)).ToList(),
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

    private static async Task<IResult> BuildingAsync(string id, HttpContext context, SiteModel site, IConsumptionStore rollups, IReadingStore readings, TimeProvider time, CancellationToken cancellationToken)
    {
        var building = site.Buildings.FirstOrDefault(b => b.Id == id);
        if (building is null)
        {
            return Results.NotFound();
        }

        var zone = site.TimeZone;
        var language = Language(context);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var electricity = SeriesGroups.Kind(SeriesScope.Building, id, EnergyKind.Electricity);
        var daily = await rollups.RollupsAsync([electricity], RollupPeriod.Day, LocalMidnight(today.AddDays(-30), zone), LocalMidnight(today.AddDays(1), zone), cancellationToken).ConfigureAwait(false);
        var hourStart = RollupPeriods.Start(RollupPeriod.Hour, time.GetUtcNow(), zone).AddHours(-47);
        var hourly = await rollups.RollupsAsync([electricity], RollupPeriod.Hour, hourStart, hourStart.AddHours(48), cancellationToken).ConfigureAwait(false);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var items = ItemCodes.All.Where(c => c.Kind == EnergyKind.Electricity && !c.IsCategory).ToDictionary(c => SeriesKey.Of(SeriesScope.Building, id, c).Text);
        var itemRows = await rollups.RollupsAsync(items.Keys, RollupPeriod.Day, LocalMidnight(monthStart, zone), LocalMidnight(today.AddDays(1), zone), cancellationToken).ConfigureAwait(false);
        var itemTotal = itemRows.Sum(r => r.Amount);
        var statuses = await context.RequestServices.GetRequiredService<MeterStatusQuery>().ListAsync(id, cancellationToken).ConfigureAwait(false);
        var dayIndex = Enumerable.Range(0, 31).Select(i => today.AddDays(i - 30)).ToList();
        var dailyChart = JsonSerializer.Serialize(new
        {
            x = dayIndex.Select(d => (double)LocalMidnight(d, zone).ToUnixTimeSeconds()).ToArray(),
            series = new[] { new { label = "kWh", values = dayIndex.Select(d => daily.FirstOrDefault(r => r.Start == LocalMidnight(d, zone)) is { Series: not null } r ? (double?)Math.Round(r.Amount, 1) : null).ToArray() } },
            kind = "bars",
            time = true,
            tz = zone.Id,
        }, ChartJson);
        var hours = Enumerable.Range(0, 48).Select(h => hourStart.AddHours(h)).ToList();
        var hourlyChart = JsonSerializer.Serialize(new
        {
            x = hours.Select(h => (double)h.ToUnixTimeSeconds()).ToArray(),
            series = new[] { new { label = "kWh", values = hours.Select(h => hourly.FirstOrDefault(r => r.Start == h) is { Series: not null } r ? (double?)Math.Round(r.Amount, 2) : null).ToArray() } },
            kind = "line",
            time = true,
            tz = zone.Id,
        }, ChartJson);
        return await Render(context, "building", new
        {
            building.Id,
            building.Name,
            Institution = site.Institutions.First(i => i.Buildings.Contains(building)).Name,
            Area = building.FloorArea.Value.ToString("N0", CultureInfo.InvariantCulture),
            Meters = statuses.Select(s => new
            {
                Id = s.Meter.Id.Value,
                s.Meter.Name,
                Kind = Reports.Charts.ReportCharts.KindLabel(s.Meter.Kind, language),
                Latest = s.Latest is { } l ? $"{l.Value.ToString("N2", CultureInfo.InvariantCulture)} {s.Meter.CanonicalUnit.Symbol}" : "—", // stored readings are in the kind's unit
                ReadAt = s.Latest is { } r ? TimeZoneInfo.ConvertTime(r.Timestamp, zone).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : "—",
                Status = MeterStatuses.Name(s.Status),
            }).ToList(),
            Daily = dailyChart,
            Hourly = hourlyChart,
            Items = itemRows.GroupBy(r => items[r.Series]).OrderByDescending(g => g.Sum(r => r.Amount)).Select(g => new
            {
                g.Key.Code,
                Name = g.Key.Name.In(language),
                Amount = g.Sum(r => r.Amount).ToString("N0", CultureInfo.InvariantCulture),
                Share = itemTotal > 0 ? (g.Sum(r => r.Amount) / itemTotal * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—",
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
        var language = Language(context);
        return await Render(context, "alerts", new
        {
            Active = active,
            Severity = severity?.ToString().ToLowerInvariant() ?? "",
            Severities,
            Building = building ?? "",
            Buildings = site.Buildings.Select(b => new { b.Id, b.Name }).ToList(),
            Alerts = list.Select(a => AlertRow(a, language, site)).ToList(),
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> AcknowledgeAsync(long id, HttpContext context, IAlertStore alerts, IAntiforgery antiforgery, TimeProvider time, CancellationToken cancellationToken)
    {
        var (form, refusal) = await ConsoleForms.ReadAsync(context, antiforgery).ConfigureAwait(false);
        if (form is null)
        {
            return refusal!;
        }

        if (await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { State: AlertState.Open })
        {
            await alerts.AcknowledgeAsync(id, context.User.Identity?.Name ?? "console", time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        // Back to the page the button was on; only a local path, so the form cannot send anyone elsewhere.
        var back = form["back"].ToString();
        return Results.Redirect(IsLocalPath(back) ? back : "/alerts");
    }

    private static async Task<IResult> ReportsAsync(HttpContext context, SiteModel site, IReportArchive archive, CancellationToken cancellationToken)
    {
        var reports = await archive.ListAsync(cancellationToken).ConfigureAwait(false);
        return await Render(context, "reports", new
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
