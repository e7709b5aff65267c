using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Api;

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
                ? ApiProblems.Bad(repeated.Key, "given more than once; give it once")
                : await next(context).ConfigureAwait(false);
        });
        SiteEndpoints.Map(api);
        OverviewEndpoints.Map(api);
        MeterEndpoints.Map(api);
        ConsumptionEndpoints.Map(api);
        IndicatorEndpoints.Map(api);
        AlertEndpoints.Map(api);
        AssessmentEndpoints.Map(api);
        SubmissionEndpoints.Map(api);
        RankingEndpoints.Map(api);
        FlowEndpoints.Map(api);
        ReportEndpoints.Map(api);
    }
}
