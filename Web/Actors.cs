using System.Security.Claims;

namespace EnergyMonitor.Web;

/// <summary>Who the audit log names for a request: an account by its name, an API key as "key:" and its name.</summary>
public static class Actors
{
    public static string Of(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } name } identity
            ? identity.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName ? "key:" + name : name
            : "anonymous";
}
