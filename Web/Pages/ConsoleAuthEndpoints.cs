using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// Signing in to the console with a key and out again. A session is kept on the server (<see cref="ConsoleSessions"/>),
/// so signing out ends it wherever its cookie is.
/// </summary>
internal static class ConsoleAuthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext c, IAntiforgery af) => ConsoleRenderer.RenderAsync(c, "login", new { Failed = false, Token = af.GetAndStoreTokens(c) })).AllowAnonymous();
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

            return await ConsoleRenderer.RenderAsync(context, "login", new { Failed = true, Token = antiforgery.GetAndStoreTokens(context) },
                refusedUntil is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status429TooManyRequests).ConfigureAwait(false);
        }

        var session = context.RequestServices.GetRequiredService<ConsoleSessions>().Start(caller, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, session).ConfigureAwait(false);
        var back = Core.Domain.Language.FromQuery(form["lang"].ToString()).IsEnglish ? "/?lang=en" : "/";
        return Results.Redirect(back);
    }
}
