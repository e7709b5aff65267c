using EnergyMonitor.Web.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// Signing in to the console with a name and password, and out again. The session is kept in the database
/// (<see cref="ConsoleSessions"/>), so signing out ends it wherever its cookie is. API keys are for machines and do
/// not sign in here.
/// </summary>
internal static class ConsoleAuthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext c, IAntiforgery af) => RenderAsync(c, af, null, StatusCodes.Status200OK)).AllowAnonymous();
        app.MapPost("/login", LoginAsync).AllowAnonymous();
        app.MapPost("/logout", async (HttpContext c, IAntiforgery af, ConsoleSessions sessions, AccountService accounts) =>
        {
            if ((await ConsoleForms.ReadAsync(c, af).ConfigureAwait(false)).Refusal is { } refusal)
            {
                return refusal;
            }

            await sessions.EndAsync(c.User, c.RequestAborted).ConfigureAwait(false);
            await accounts.AuditAsync(c.User.Identity?.Name ?? "", Core.Ports.AuditActions.SignedOut, c.User.Identity?.Name ?? "", "signed out", c.RequestAborted).ConfigureAwait(false);
            await c.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.Redirect("/login");
        }).RequireAuthorization(WebSetup.ViewerPolicy);
    }

    private static Task<IResult> RenderAsync(HttpContext context, IAntiforgery antiforgery, Core.Domain.LocalizedText? failure, int status, string name = "") =>
        ConsoleRenderer.RenderAsync(context, "login", new
        {
            Failed = failure is not null,
            Failure = failure?.In(ConsoleRenderer.Language(context)) ?? "",
            Name = name,
            Token = antiforgery.GetAndStoreTokens(context),
        }, status);

    // Every form carries the antiforgery token of its page; one posted from elsewhere changes nothing. Wrong passwords
    // are counted twice over: against the account (locked at the limit, for everyone) and against the client's
    // address with the name (refused for the rest of the minute, for that client only), so a guesser spraying many
    // names from one address is slowed as well.
    private static async Task<IResult> LoginAsync(HttpContext context, AccountService accounts, ConsoleSessions sessions, AuthFailureThrottle throttle, IAntiforgery antiforgery, TimeProvider time)
    {
        var (form, refusal) = await ConsoleForms.ReadAsync(context, antiforgery).ConfigureAwait(false);
        if (form is null)
        {
            return refusal!;
        }

        var name = form["name"].ToString();
        var password = form["password"].ToString();
        var client = context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        var bucket = "user:" + AccountNames.Normalise(name);
        if (name.Length > 64)
        {
            return await RenderAsync(context, antiforgery, ConsoleText.SignInFailed, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
        }

        if (throttle.BlockedUntil(client, bucket) is { } until)
        {
            context.Response.Headers.RetryAfter = AuthFailureThrottle.RetryAfter(until, time.GetUtcNow());
            return await RenderAsync(context, antiforgery, ConsoleText.SignInThrottled, StatusCodes.Status429TooManyRequests, name).ConfigureAwait(false);
        }

        var (outcome, account) = await accounts.SignInAsync(name, password, context.RequestAborted).ConfigureAwait(false);
        switch (outcome)
        {
            case SignInOutcome.Busy:
                context.Response.Headers.RetryAfter = "1";
                return await RenderAsync(context, antiforgery, ConsoleText.SignInBusy, StatusCodes.Status429TooManyRequests, name).ConfigureAwait(false);
            case SignInOutcome.Locked:
                return await RenderAsync(context, antiforgery, ConsoleText.SignInLocked, StatusCodes.Status403Forbidden, name).ConfigureAwait(false);
            case SignInOutcome.Refused:
                throttle.RecordFailure(client, bucket);
                return await RenderAsync(context, antiforgery, ConsoleText.SignInFailed, StatusCodes.Status401Unauthorized, name).ConfigureAwait(false);
        }

        var principal = await sessions.StartAsync(account!, CookieAuthenticationDefaults.AuthenticationScheme, context.RequestAborted).ConfigureAwait(false);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal).ConfigureAwait(false);
        await accounts.AuditAsync(account!.Name, Core.Ports.AuditActions.SignedIn, account.Name, $"signed in from {client}", context.RequestAborted).ConfigureAwait(false);
        var back = Core.Domain.Language.FromQuery(form["lang"].ToString()).IsEnglish ? "/?lang=en" : "/";
        return Results.Redirect(back);
    }
}
