using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;

namespace EnergyMonitor.Web;

/// <summary>
/// The console's sessions, kept on the server. The cookie carries only a session id; each request is checked here:
/// the session must exist (logout removes it), be younger than its absolute lifetime whatever the activity, and
/// its key must still be in the key ring with the same hash (a removed or re-issued key ends its sessions).
/// Kept in memory: a restart of the service ends every session, which is also how to revoke them all at once
/// (docs/OPERATIONS.md).
/// </summary>
public sealed class ConsoleSessions(KeyRing keys, TimeProvider time, TimeSpan lifetime)
{
    public const string SessionClaim = "em-session";

    /// <summary>More than any console needs; beyond it the oldest sessions go first, so sign-ins cannot grow memory without bound.</summary>
    private const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    private sealed record Session(ApiCaller Caller, DateTimeOffset Started);

    public TimeSpan Lifetime => lifetime;

    /// <summary>Starts a session for a caller the key ring just recognised; the principal carries its id.</summary>
    public ClaimsPrincipal Start(ApiCaller caller, string scheme)
    {
        Prune();
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _sessions[id] = new Session(caller, time.GetUtcNow());
        var principal = ApiKeyAuthenticationHandler.Principal(caller, scheme);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionClaim, id));
        return principal;
    }

    /// <summary>Whether the principal's session is still good now; a session that is not is forgotten.</summary>
    public bool IsValid(ClaimsPrincipal principal)
    {
        if (principal.FindFirst(SessionClaim)?.Value is not { } id || !_sessions.TryGetValue(id, out var session))
        {
            return false;
        }

        if (time.GetUtcNow() - session.Started >= lifetime || !keys.StillIssued(session.Caller))
        {
            _sessions.TryRemove(id, out _);
            return false;
        }

        return true;
    }

    /// <summary>Ends the principal's session on the server: its cookie, replayed, no longer signs anyone in.</summary>
    public void End(ClaimsPrincipal principal)
    {
        if (principal.FindFirst(SessionClaim)?.Value is { } id)
        {
            _sessions.TryRemove(id, out _);
        }
    }

    public int Count => _sessions.Count;

    private void Prune()
    {
        if (_sessions.Count < MaxSessions)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (id, s) in _sessions)
        {
            if (now - s.Started >= lifetime)
            {
                _sessions.TryRemove(id, out _);
            }
        }

        foreach (var (id, _) in _sessions.OrderBy(p => p.Value.Started).Take(Math.Max(0, _sessions.Count - MaxSessions + 1)))
        {
            _sessions.TryRemove(id, out _);
        }
    }
}
