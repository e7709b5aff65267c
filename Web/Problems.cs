using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Web;

/// <summary>
/// The problem+json answers written outside an endpoint (middleware, authentication), through the framework's
/// <see cref="IProblemDetailsService"/>: the same writer, shape and customisation (trace id) as the endpoints' problems.
/// </summary>
public static class Problems
{
    public const string ForbiddenDetail = "this key's role may not do this (acknowledging needs operator or admin)";

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = "about:blank" };
        if (!await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            // No writer took it (a client that accepts no JSON): the status and a plain line still say why.
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"{title}: {detail}\n").ConfigureAwait(false);
        }
    }
}
