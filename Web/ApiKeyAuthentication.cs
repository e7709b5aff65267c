using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EnergyMonitor.Web;

/// <summary>
/// Authenticates an API call by its key, in <c>X-Api-Key</c> or <c>Authorization: Bearer</c>. A key that passed
/// before is accepted without a check and never throttled; a wrong key counts against the client's failures
/// (<see cref="AuthFailureThrottle"/>), and a new key waits for the service's check budget (<see cref="KeyCheckBudget"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyRing keys, AuthFailureThrottle throttle, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Set on a request refused for too many failures or a spent check budget: until when.</summary>
    public const string RefusedUntilItem = "em-refused-until";

    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header) && header.Count == 1)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var (outcome, caller, until) = Authenticate(Context, key, keys, throttle, time);
        if (outcome != KeyCheck.Valid)
        {
            if (until is { } u)
            {
                Context.Items[RefusedUntilItem] = u;
            }

            return Task.FromResult(AuthenticateResult.Fail(outcome == KeyCheck.Busy ? "key checks busy" : "unknown API key"));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal(caller!, SchemeName), SchemeName)));
    }

    /// <summary>
    /// The one rule for a presented key, the API's and the sign-in form's: a known key passes; a client over its
    /// failures is refused until its window ends; a new key is checked within the budget, and a wrong one counted.
    /// </summary>
    public static (KeyCheck Outcome, ApiCaller? Caller, DateTimeOffset? RefusedUntil) Authenticate(HttpContext context, string key, KeyRing keys, AuthFailureThrottle throttle, TimeProvider time)
    {
        if (keys.Known(key) is { } known)
        {
            return (KeyCheck.Valid, known, null);
        }

        var address = context.Connection.RemoteIpAddress;
        if (address is not null && throttle.BlockedUntil(address, key) is { } blocked)
        {
            return (KeyCheck.Invalid, null, blocked);
        }

        var outcome = keys.Check(key, out var caller);
        if (outcome == KeyCheck.Invalid && address is not null)
        {
            throttle.RecordFailure(address, key);
        }

        return (outcome, caller, outcome == KeyCheck.Busy ? time.GetUtcNow().AddSeconds(1) : null);
    }

    /// <summary>429 with Retry-After for a refused client: the seconds until it may try again, at least one.</summary>
    public static Task RefuseAsync(HttpContext context, DateTimeOffset until, TimeProvider time)
    {
        context.Response.Headers.RetryAfter = AuthFailureThrottle.RetryAfter(until, time.GetUtcNow());
        return Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "too many key checks",
            "this client presented too many wrong keys, or the service is checking many keys at once; wait for Retry-After seconds");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RefusedUntilItem] is DateTimeOffset until)
        {
            await RefuseAsync(Context, until, time).ConfigureAwait(false);
            return;
        }

        Response.Headers.WWWAuthenticate = "ApiKey";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "API key required", Presented(Request) is null
            ? "send a key in X-Api-Key (energymonitor apikey new); a console session does not authenticate the API"
            : "the key in X-Api-Key is not one of this service's keys").ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", Problems.ForbiddenDetail).ConfigureAwait(false);
    }

    public static ClaimsPrincipal Principal(ApiCaller caller, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name), new Claim(ClaimTypes.Role, caller.Role)], scheme));
}
