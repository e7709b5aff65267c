using System.Text.Json;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web;

/// <summary>The read-mostly JSON API under /api/v1 (docs/API.md): every input checked, every refusal a problem+json.</summary>
public static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(WebSetup.ApiViewerPolicy).ProducesProblem(401).WithTags("EnergyMonitor");

        // Every parameter is single-valued: "severity=critical&severity=info" would otherwise read as "critical,info".
        // Answers carry a site's data: no cache between the service and the caller keeps them.
        api.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return context.HttpContext.Request.Query.FirstOrDefault(p => p.Value.Count > 1) is { Key: not null } repeated
                ? Bad(repeated.Key, "given more than once; give it once")
                : await next(context).ConfigureAwait(false);
        });
        api.MapGet("/site", (SiteModel site) => TypedResults.Ok(Site(site))).WithName("site").WithSummary("The site tree: institutions, buildings, meters and the series each building rolls up into.");
        api.MapGet("/meters", MetersAsync).WithName("meters").Produces<IReadOnlyList<MeterStatusDto>>().ProducesProblem(400).WithSummary("Every meter with its latest reading and status; ?building= narrows to one building.");
        api.MapGet("/consumption", ConsumptionAsync).WithName("consumption").Produces<ConsumptionDto>().ProducesProblem(400)
            .WithSummary("Consumption of one series (a meter id, or building/ID/KIND, institution/ID/KIND, region/CODE/KIND, …/item/CODE) from..to at interval, hour, day or month resolution, with its estimated share.");
        api.MapGet("/indicators/{institution}", IndicatorsAsync).WithName("indicators").Produces<Analytics.Indicators.InstitutionIndicators>().ProducesProblem(404).WithSummary("An institution's latest daily indicators (人均综合能耗, 单位建筑面积能耗, targets, quota).");
        api.MapGet("/alerts", AlertsAsync).WithName("alerts").Produces<IReadOnlyList<AlertDto>>().ProducesProblem(400).WithSummary("Alerts, newest first: ?active=true, ?building=, ?severity=info|warning|critical, ?limit=, ?lang=en.");
        api.MapGet("/alerts/{id:long}", AlertAsync).WithName("alert").Produces<AlertDto>().ProducesProblem(404);
        api.MapPost("/alerts/{id:long}/ack", AcknowledgeAsync).RequireAuthorization(WebSetup.ApiOperatorPolicy).WithName("acknowledge").Produces<AlertDto>().ProducesProblem(404).ProducesProblem(409).ProducesProblem(403)
            .WithSummary("Acknowledge an alert (operator or admin): it stays open until its condition clears, without reminders.");
        api.MapGet("/assessments/{building}", AssessAsync).WithName("assessment").Produces<AssessmentDto>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("A building's weather-normalised savings: ?reporting=yyyy-MM-dd..yyyy-MM-dd (default the last 30 days), ?baseline= (default the 365 days before), ?kind=electricity.");
        api.MapGet("/reports", ReportsAsync).WithName("reports").Produces<IReadOnlyList<ReportDto>>().WithSummary("The archive of generated reports.");
        api.MapGet("/reports/{id:long}/download", DownloadAsync).WithName("download").Produces(200, contentType: "application/octet-stream").ProducesProblem(404).WithSummary("One archived report file.");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Bad(string parameter, string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid request", detail: $"{parameter}: {reason}", extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string what) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: what);

    private static Language Language(HttpRequest request) => Core.Domain.Language.FromQuery(request.Query["lang"].ToString());

    public static SiteDto Site(SiteModel site)
    {
        var groups = SeriesGroups.For(site).Select(g => g.Series).ToList();
        return new SiteDto(site.Name, new RegionDto(site.Region.Code, site.Region.Name, site.Region.TimeZone.Id),
            [.. site.Institutions.Select(i => new InstitutionDto(i.Id, i.Name, i.NatureCode, [.. i.Buildings.Select(b => new BuildingDto(b.Id, b.Code, b.Name, b.FloorArea.Value, b.WeatherStation,
                [.. b.Meters.Select(m => new MeterDto(m.Id.Value, m.Name, EnergyKinds.ConfigName(m.Kind), m.Unit.Symbol, m.Item?.Code, m.Parent?.Value, SourceOf(m)))],
                [.. groups.Where(g => g.StartsWith(SeriesKey.GroupPrefix(SeriesScope.Building, b.Id), StringComparison.Ordinal))]))]))],
            [.. site.Gateways.Select(g => new GatewayDto(g.Id, g.Host, g.Port, g.Transport.ToString().ToLowerInvariant()))]);
    }

    private static string SourceOf(Meter m) => m.Source switch
    {
        ModbusSource s => $"modbus/{s.Gateway}/{s.UnitId}",
        MqttSource q => $"mqtt:{q.Topic}",
        _ => "manual",
    };

    private static async Task<IResult> MetersAsync(HttpRequest request, SiteModel site, MeterStatusQuery statuses, CancellationToken cancellationToken)
    {
        var building = request.Query["building"].ToString();
        if (building.Length > 0 && site.Buildings.All(b => b.Id != building))
        {
            return Bad("building", $"no building \"{QueryInput.Clip(building)}\" in the site");
        }

        var states = await statuses.ListAsync(building.Length > 0 ? building : null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(states.Select(s => new MeterStatusDto(s.Meter.Id.Value, s.Meter.Name, s.Building.Id, EnergyKinds.ConfigName(s.Meter.Kind), s.Meter.Unit.Symbol,
            s.Latest is { } r ? new LatestReadingDto(r.Timestamp, r.Value, r.Quality.ToString()) : null, MeterStatuses.Name(s.Status))).ToList());
    }

    /// <summary>Every series the API answers for: each meter's, and each group's of <see cref="SeriesGroups"/>.</summary>
    public static IReadOnlySet<string> KnownSeries(SiteModel site) =>
        site.Meters.Select(m => m.Id.Value).Concat(SeriesGroups.For(site).Select(g => g.Series)).ToHashSet(StringComparer.Ordinal);

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

    private static async Task<IResult> AlertsAsync(HttpRequest request, SiteModel site, IAlertStore alerts, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var building = q["building"].ToString();
        if (building.Length > 0 && site.Buildings.All(b => b.Id != building))
        {
            return Bad("building", $"no building \"{QueryInput.Clip(building)}\" in the site");
        }

        AlertSeverity? severity = null;
        if (q["severity"].Count > 0)
        {
            // One name, exactly: Enum.TryParse would also take "info,warning" as flags and "2" as a number.
            var text = q["severity"].ToString();
            severity = Enum.GetValues<AlertSeverity>().Cast<AlertSeverity?>().FirstOrDefault(v => string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase));
            if (severity is null)
            {
                return Bad("severity", $"\"{QueryInput.Clip(text)}\" is not one of info, warning, critical");
            }
        }

        var active = q["active"].ToString();
        if (active is not ("" or "true" or "false"))
        {
            return Bad("active", $"\"{QueryInput.Clip(active)}\" is not true or false");
        }

        if (!QueryInput.TryLimit(q["limit"].Count > 0 ? q["limit"].ToString() : null, 1000, out var limit, out var whyLimit))
        {
            return Bad("limit", whyLimit);
        }

        var list = await alerts.ListAsync(new AlertQuery(active == "true", building.Length > 0 ? building : null, severity, Limit: limit), cancellationToken).ConfigureAwait(false);
        var language = Language(request);
        return TypedResults.Ok(list.Select(a => AlertDto.From(a, language)).ToList());
    }

    private static async Task<IResult> AlertAsync(long id, HttpRequest request, IAlertStore alerts, CancellationToken cancellationToken) =>
        await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } a ? TypedResults.Ok(AlertDto.From(a, Language(request))) : NotFound($"no alert {id}");

    private static async Task<IResult> AcknowledgeAsync(long id, HttpContext context, IAlertStore alerts, TimeProvider time, CancellationToken cancellationToken)
    {
        var by = context.User.Identity?.Name ?? "api";
        if (await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } alert)
        {
            return NotFound($"no alert {id}");
        }

        if (alert.State == AlertState.Resolved)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "already resolved", detail: $"alert {id} was resolved at {alert.ResolvedAt:O}");
        }

        await alerts.AcknowledgeAsync(id, by, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(AlertDto.From((await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false))!, Language(context.Request)));
    }

    private static async Task<IResult> AssessAsync(string building, HttpRequest request, SiteModel site, BuildingAssessment assessment, TimeProvider time, CancellationToken cancellationToken)
    {
        var b = site.Buildings.FirstOrDefault(x => x.Id == building);
        if (b is null)
        {
            return NotFound($"no building \"{QueryInput.Clip(building)}\" in the site");
        }

        if (b.WeatherStation is null)
        {
            return Bad("building", $"{building} names no weatherStation in the site file: its use cannot be weather-normalised");
        }

        var q = request.Query;
        var kindText = q["kind"].Count == 0 ? "electricity" : q["kind"].ToString();
        if (!EnergyKinds.TryParse(kindText, out var kind) || !EnergyKinds.Consumed.Contains(kind))
        {
            return Bad("kind", $"\"{QueryInput.Clip(kindText)}\" is not an energy kind such as electricity, natural-gas, heat, water");
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone).DateTime);
        DateOnly rFirst = today.AddDays(-30), rLast = today.AddDays(-1);
        if (q["reporting"].Count > 0 && !QueryInput.TryDayRange(q["reporting"], out rFirst, out rLast, out var whyReporting))
        {
            return Bad("reporting", whyReporting);
        }

        DateOnly bFirst = rFirst.AddDays(-365), bLast = rFirst.AddDays(-1);
        if (q["baseline"].Count > 0 && !QueryInput.TryDayRange(q["baseline"], out bFirst, out bLast, out var whyBaseline))
        {
            return Bad("baseline", whyBaseline);
        }

        if (bLast >= rFirst)
        {
            return Bad("baseline", "must end before the reporting period starts");
        }

        var a = await assessment.AssessAsync(building, kind, new DayRange(bFirst, bLast), new DayRange(rFirst, rLast), cancellationToken).ConfigureAwait(false);
        var model = a.Result.Model;
        return TypedResults.Ok(new AssessmentDto(building, EnergyKinds.ConfigName(kind), a.WeatherStation, $"{bFirst:yyyy-MM-dd}..{bLast:yyyy-MM-dd}", $"{rFirst:yyyy-MM-dd}..{rLast:yyyy-MM-dd}",
            model?.Type.ToString(), model?.Fit.R2, model?.Fit.CvRmse, model?.Fit.Nmbe, model?.Fit.PassesGuideline14 ?? false,
            a.Savings?.Predicted, a.Savings?.Actual, a.Savings?.Avoided, a.Savings?.Fraction, a.Savings?.FractionalUncertainty,
            [.. a.Result.Sufficiency.Reasons, .. a.Notes]));
    }

    private static async Task<IResult> ReportsAsync(IReportArchive archive, CancellationToken cancellationToken) =>
        TypedResults.Ok((await archive.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(r => new ReportDto(r.Id, r.Period, r.Scope, r.Format, Path.GetFileName(r.Path), r.Sha256, r.Bytes, r.GeneratedAt, $"/api/v1/reports/{r.Id}/download")).ToList());

    /// <summary>One archived file, for the API and the console's own download link alike.</summary>
    public static async Task<IResult> DownloadAsync(long id, IReportArchive archive, ReportFiles files, CancellationToken cancellationToken)
    {
        var entry = (await archive.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id == id);
        if (entry is null)
        {
            return NotFound($"no archived report {id}");
        }

        if (files.Resolve(entry.Path) is not { } path)
        {
            return NotFound($"report {id}'s file is outside the report folders or gone");
        }

        var type = entry.Format switch
        {
            "html" => "text/html; charset=utf-8",
            "pdf" => "application/pdf",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "csv" => "text/csv; charset=utf-8",
            _ => "application/octet-stream",
        };
        return TypedResults.PhysicalFile(path, type, Path.GetFileName(path));
    }
}

/// <summary>The series the API answers for, computed once from the site.</summary>
public sealed class KnownSeriesSet(SiteModel site)
{
    private readonly IReadOnlySet<string> _series = ApiEndpoints.KnownSeries(site);

    public bool Contains(string series) => _series.Contains(series);
}

/// <summary>
/// Where archived report files may be served from: regular files inside the archive folder, with every component
/// of the path resolved (a symlinked folder, like a symlinked file, is followed to where it really points), and
/// never the database or its journal, wherever they are. An index entry pointing elsewhere (a report written with
/// --out to a home directory, or a tampered row) is not served.
/// </summary>
/// <param name="roots">The archive folder (Reports:ArchiveDirectory).</param>
/// <param name="database">The embedded database's file: opening it for a download would release SQLite's locks.</param>
public sealed class ReportFiles(IReadOnlyList<string> roots, string? database = null)
{
    private readonly IReadOnlyList<string> _roots = [.. roots.Select(r => RealPath(r).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar)];
    private readonly string? _database = database is null ? null : RealPath(database);

    public string? Resolve(string path)
    {
        var real = RealPath(path);
        if (!_roots.Any(r => real.StartsWith(r, StringComparison.Ordinal)) || !File.Exists(real))
        {
            return null;
        }

        if (_database is { } db && (real == db || real.StartsWith(db + "-", StringComparison.Ordinal)))
        {
            return null;
        }

        var attributes = File.GetAttributes(real);
        return (attributes & (FileAttributes.Directory | FileAttributes.ReparsePoint | FileAttributes.Device)) == 0 ? real : null;
    }

    /// <summary>The path with every symbolic link along it followed, component by component, to an absolute path without links.</summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int links)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            // A loop of links (a → b → a) resolves to nothing real: past 40 links, as Linux gives up (ELOOP), the
            // path is left where it is and matches no root.
            if (++links > 40)
            {
                return next;
            }

            current = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), links);
        }

        return current;
    }
}
