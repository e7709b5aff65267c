using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EnergyMonitor.Web.Api;

/// <summary>The API's refusals of a request's input, each a problem+json naming what was wrong.</summary>
internal static class ApiProblems
{
    /// <summary>A 400 naming the parameter and why it was refused.</summary>
    internal static ProblemHttpResult Bad(string parameter, string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid request", detail: $"{parameter}: {reason}", extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    internal static ProblemHttpResult NotFound(string what) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: what);

    /// <summary>The language the caller asked for with ?lang=en; Chinese otherwise.</summary>
    internal static Core.Domain.Language Language(HttpRequest request) => Core.Domain.Language.FromQuery(request.Query["lang"].ToString());
}
