using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EnergyMonitor.Web;

/// <summary>The problem+json answers written outside an endpoint (middleware, authentication), in the shape the endpoints' problems take.</summary>
public static class Problems
{
    public const string ForbiddenDetail = "this key's role may not do this (acknowledging needs operator or admin)";

    public static Task WriteAsync(HttpResponse response, int status, string title, string detail)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(new { type = "about:blank", title, status, detail }, (JsonSerializerOptions?)null, "application/problem+json");
    }
}
