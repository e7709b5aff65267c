namespace EnergyMonitor.Core.Ports;

/// <summary>
/// One thing a person (or a key, or a command run on the server) did that changes what others see: an alert
/// acknowledged, a submission finding explained, an account added or changed.
/// </summary>
/// <param name="Actor">Who: an account's name, "key:NAME" for an API key, "cli" for a command on the server.</param>
/// <param name="Action">What, as a stable code: <see cref="AuditActions"/>.</param>
/// <param name="Subject">What it was done to: an alert id, "2025/institution/field", an account name.</param>
/// <param name="Detail">The change in words, for the admin reading the log.</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string Subject, string Detail);

/// <summary>The stable codes of <see cref="AuditEntry.Action"/>.</summary>
public static class AuditActions
{
    public const string AlertAcknowledged = "alert.acknowledge";
    public const string ExplanationSaved = "explanation.save";
    public const string ExplanationCleared = "explanation.clear";
    public const string SubmissionExported = "submission.export";
    public const string UserAdded = "user.add";
    public const string PasswordChanged = "user.password";
    public const string RoleChanged = "user.role";
    public const string UserDisabled = "user.disable";
    public const string UserEnabled = "user.enable";
    public const string UserUnlocked = "user.unlock";
    public const string UserLockedOut = "user.lockout";
    public const string SignedIn = "session.start";
    public const string SignedOut = "session.end";
}

/// <summary>The audit log: appended to, never changed; read newest first by admins.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> entries with an id below <paramref name="before"/> (all when null), newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? before, CancellationToken cancellationToken);
}
