using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Web.Accounts;

/// <summary>
/// The console's sessions, kept in the database (<see cref="IAccountStore"/>). The cookie carries a random id inside
/// the framework's protected ticket; the store keeps only its SHA-256. Every request checks the session: it must still
/// exist (sign-out deletes it; a new password, role or disabled flag deletes the account's), be younger than its
/// lifetime, have been used within the idle limit, and belong to an enabled account. Any instance on the same
/// database answers for any session.
/// </summary>
public sealed class ConsoleSessions(IAccountStore store, AccountPolicy policy, TimeProvider time)
{
    public const string SessionClaim = "em-session";

    public const string DisplayNameClaim = "em-display-name";

    /// <summary>A session's last use is written at most this often: one write a minute, not one per request.</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Starts a session for an account that just signed in; the principal carries its id.</summary>
    public async Task<ClaimsPrincipal> StartAsync(UserAccount account, string scheme, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.PruneSessionsAsync(now, cancellationToken).ConfigureAwait(false);
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await store.StartSessionAsync(new ConsoleSession(Hash(id), account.Name, now, now, now + policy.SessionLifetime), cancellationToken).ConfigureAwait(false);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, account.Name),
            new Claim(ClaimTypes.Role, account.Role),
            new Claim(DisplayNameClaim, account.DisplayName),
            new Claim(SessionClaim, id),
        ], scheme, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The account behind the principal's session while the session is good; null (and the session forgotten) when it is not.</summary>
    public async Task<UserAccount?> ValidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.FindFirst(SessionClaim)?.Value is not { Length: 64 } id)
        {
            return null;
        }

        var hash = Hash(id);
        if (await store.FindSessionAsync(hash, cancellationToken).ConfigureAwait(false) is not var (session, account))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now >= session.Expires || now - session.Seen >= policy.SessionIdle || account.Disabled || account.Role != principal.FindFirst(ClaimTypes.Role)?.Value)
        {
            await store.EndSessionAsync(hash, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (now - session.Seen >= TouchEvery)
        {
            await store.TouchSessionAsync(hash, now, cancellationToken).ConfigureAwait(false);
        }

        return account;
    }

    /// <summary>Ends the principal's session on the server: its cookie, replayed, no longer signs anyone in.</summary>
    public async Task EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.FindFirst(SessionClaim)?.Value is { } id)
        {
            await store.EndSessionAsync(Hash(id), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Hash(string id) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(id)));
}
