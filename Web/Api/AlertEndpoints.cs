using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

/// <summary>/alerts: the list, one alert, and an operator's acknowledgement; texts in the request's language.</summary>
internal static class AlertEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/alerts", AlertsAsync).WithName("alerts").Produces<IReadOnlyList<AlertDto>>().ProducesProblem(400).WithSummary("Alerts, newest first: ?active=true, ?building=, ?severity=info|warning|critical, ?limit=, ?lang=en.");
        api.MapGet("/alerts/{id:long}", AlertAsync).WithName("alert").Produces<AlertDto>().ProducesProblem(404);
        api.MapPost("/alerts/{id:long}/ack", AcknowledgeAsync).RequireAuthorization(WebSetup.ApiOperatorPolicy).WithName("acknowledge").Produces<AlertDto>().ProducesProblem(404).ProducesProblem(409).ProducesProblem(403)
            .WithSummary("Acknowledge an alert (operator or admin): it stays open until its condition clears, without reminders.");
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

    private static async Task<IResult> AcknowledgeAsync(long id, HttpContext context, IAlertStore alerts, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
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

        if (alert.State == AlertState.Open)
        {
            var now = time.GetUtcNow();
            await alerts.AcknowledgeAsync(id, by, now, cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(new AuditEntry(0, now, Actors.Of(context.User), AuditActions.AlertAcknowledged, $"{id}", alert.Finding.Summary.Zh), cancellationToken).ConfigureAwait(false);
        }

        return TypedResults.Ok(AlertDto.From((await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false))!, Language(context.Request)));
    }
}
