namespace EnergyMonitor.Core.Ports;

/// <summary>A person who signs in to the console: a name, a role, and a password kept only as a salted hash.</summary>
/// <param name="Name">The sign-in name, unique, compared as stored (lower case, checked by the account service).</param>
/// <param name="Role">viewer, operator or admin.</param>
/// <param name="FailedAttempts">Wrong passwords since the last good one; at the limit the account is locked.</param>
/// <param name="LockedUntil">Until when a sign-in is refused whatever the password; null when not locked.</param>
public sealed record UserAccount(
    string Name,
    string DisplayName,
    string Role,
    string PasswordHash,
    bool Disabled,
    int FailedAttempts,
    DateTimeOffset? LockedUntil,
    DateTimeOffset Created,
    DateTimeOffset Changed)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>A console session kept on the server: the cookie carries only its id, the store only the id's SHA-256.</summary>
/// <param name="Seen">The last request, to the minute: a session idle past the idle limit ends.</param>
public sealed record ConsoleSession(string IdHash, string User, DateTimeOffset Started, DateTimeOffset Seen, DateTimeOffset Expires);

/// <summary>What changes an account: each call one statement, so that two instances on one database agree.</summary>
public interface IAccountStore
{
    Task<UserAccount?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every account, by name.</summary>
    Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds an account; false when the name is taken.</summary>
    Task<bool> AddAsync(UserAccount account, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the password, role, display name and disabled flag, and clears the failures and any lock; false for
    /// no such account. The account's sessions end when its password, role or flag changed: a session never carries
    /// rights its account no longer has.
    /// </summary>
    Task<bool> UpdateAsync(UserAccount account, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one wrong password, atomically, and locks the account until <paramref name="lockUntil"/> when the count
    /// reaches <paramref name="limit"/> (the count then starts again). Null for no such account.
    /// </summary>
    Task<UserAccount?> RecordFailureAsync(string name, int limit, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>A good password: the failures are forgotten.</summary>
    Task RecordSuccessAsync(string name, CancellationToken cancellationToken);

    Task StartSessionAsync(ConsoleSession session, CancellationToken cancellationToken);

    /// <summary>The session with this id hash and its account, or null when either is gone.</summary>
    Task<(ConsoleSession Session, UserAccount Account)?> FindSessionAsync(string idHash, CancellationToken cancellationToken);

    Task TouchSessionAsync(string idHash, DateTimeOffset seen, CancellationToken cancellationToken);

    Task EndSessionAsync(string idHash, CancellationToken cancellationToken);

    /// <summary>Forgets sessions that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PruneSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
