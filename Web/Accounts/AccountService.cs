using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Web.Accounts;

/// <summary>How sign-in treats wrong passwords and how long sessions last (<see cref="HttpSettings"/>).</summary>
/// <param name="PasswordIterations">PBKDF2 iterations of a new password's hash (<see cref="Passwords.Iterations"/>; tests use fewer).</param>
public sealed record AccountPolicy(int LockoutAttempts, TimeSpan LockoutFor, TimeSpan SessionLifetime, TimeSpan SessionIdle, int PasswordIterations = Passwords.Iterations)
{
    public static AccountPolicy From(HttpSettings http) => new(http.LockoutAttempts, TimeSpan.FromMinutes(http.LockoutMinutes), TimeSpan.FromHours(http.SessionHours), TimeSpan.FromMinutes(http.SessionIdleMinutes));
}

public enum SignInOutcome
{
    SignedIn,

    /// <summary>No such account, a disabled one, or the wrong password: one answer for all three, so names cannot be probed.</summary>
    Refused,

    /// <summary>Too many wrong passwords: refused until the lock ends, whatever the password.</summary>
    Locked,

    /// <summary>The service's budget of password checks is spent for this second; not counted against the account.</summary>
    Busy,
}

/// <summary>
/// The console's people: sign-in with lockout, and every change to an account, each written to the audit log with
/// who and when. The command line (<c>energymonitor user</c>) and the admin's page both change accounts through here.
/// </summary>
public sealed class AccountService(IAccountStore store, IAuditLog audit, AccountPolicy policy, TimeProvider time, KeyCheckBudget? budget = null)
{
    public async Task<(SignInOutcome Outcome, UserAccount? Account)> SignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        name = AccountNames.Normalise(name);
        var account = AccountNames.IsValid(name) ? await store.FindAsync(name, cancellationToken).ConfigureAwait(false) : null;
        var now = time.GetUtcNow();
        if (account is not null && account.IsLocked(now))
        {
            return (SignInOutcome.Locked, null);
        }

        if (budget is not null && !budget.TryTake(Passwords.BudgetCost))
        {
            return (SignInOutcome.Busy, null);
        }

        if (account is null || account.Disabled)
        {
            Passwords.Verify(password, Passwords.Decoy);
            return (SignInOutcome.Refused, null);
        }

        if (!Passwords.Verify(password, account.PasswordHash))
        {
            var after = await store.RecordFailureAsync(name, policy.LockoutAttempts, now + policy.LockoutFor, cancellationToken).ConfigureAwait(false);
            if (after?.IsLocked(now) == true)
            {
                await AuditAsync("system", AuditActions.UserLockedOut, name, $"{policy.LockoutAttempts} wrong passwords in a row: locked until {after.LockedUntil:O}", cancellationToken).ConfigureAwait(false);
                return (SignInOutcome.Locked, null);
            }

            return (SignInOutcome.Refused, null);
        }

        if (account.FailedAttempts > 0)
        {
            await store.RecordSuccessAsync(name, cancellationToken).ConfigureAwait(false);
        }

        return (SignInOutcome.SignedIn, account);
    }

    public Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<UserAccount?> FindAsync(string name, CancellationToken cancellationToken) => store.FindAsync(AccountNames.Normalise(name), cancellationToken);

    /// <summary>Adds an account; the problem in both languages when it is refused.</summary>
    public async Task<LocalizedText?> AddAsync(string actor, string name, string displayName, string role, string password, CancellationToken cancellationToken)
    {
        name = AccountNames.Normalise(name);
        displayName = displayName.Trim().Length == 0 ? name : displayName.Trim();
        if (!AccountNames.IsValid(name))
        {
            return new LocalizedText("用户名须为 2–32 个小写字母、数字或 . - _，以字母开头", "a user name of 2 to 32 lower-case letters, digits, '.', '-' or '_', starting with a letter");
        }

        if ((NameOrRoleProblem(displayName, role) ?? Passwords.Problem(password, name)) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        if (!await store.AddAsync(new UserAccount(name, displayName, role, Passwords.Hash(password, policy.PasswordIterations), false, 0, null, now, now), cancellationToken).ConfigureAwait(false))
        {
            return new LocalizedText($"用户名 {name} 已存在", $"there is already an account named {name}");
        }

        await AuditAsync(actor, AuditActions.UserAdded, name, $"role {role}, display name \"{displayName}\"", cancellationToken).ConfigureAwait(false);
        return null;
    }

    public Task<LocalizedText?> SetPasswordAsync(string actor, string name, string password, CancellationToken cancellationToken) =>
        ChangeAsync(actor, name, a => Passwords.Problem(password, a.Name) is { } problem ? (null, problem) : (a with { PasswordHash = Passwords.Hash(password, policy.PasswordIterations) }, null),
            AuditActions.PasswordChanged, _ => "password set; the account's sessions ended", cancellationToken);

    public Task<LocalizedText?> SetRoleAsync(string actor, string name, string role, CancellationToken cancellationToken) =>
        ChangeAsync(actor, name, a => NameOrRoleProblem(a.DisplayName, role) is { } problem ? (null, problem) : (a with { Role = role }, null),
            AuditActions.RoleChanged, before => $"role {before.Role} → {role}; the account's sessions ended", cancellationToken);

    public Task<LocalizedText?> SetDisabledAsync(string actor, string name, bool disabled, CancellationToken cancellationToken) =>
        ChangeAsync(actor, name, a => (a with { Disabled = disabled }, null),
            disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, _ => disabled ? "disabled; the account's sessions ended" : "enabled", cancellationToken);

    public Task<LocalizedText?> UnlockAsync(string actor, string name, CancellationToken cancellationToken) =>
        ChangeAsync(actor, name, a => (a, null), AuditActions.UserUnlocked, before => $"unlocked after {before.FailedAttempts} recent wrong passwords", cancellationToken);

    public Task AuditAsync(string actor, string action, string subject, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(0, time.GetUtcNow(), actor, action, subject, detail), cancellationToken);

    private static LocalizedText? NameOrRoleProblem(string displayName, string role) =>
        !AccountNames.IsValidDisplayName(displayName) ? new LocalizedText("显示名须为 1–64 个可打印字符", "a display name of 1 to 64 printable characters")
        : !ApiKeys.Roles.Contains(role) ? new LocalizedText("角色须为 viewer、operator 或 admin", "a role of viewer, operator or admin")
        : null;

    private async Task<LocalizedText?> ChangeAsync(string actor, string name, Func<UserAccount, (UserAccount? Changed, LocalizedText? Problem)> change, string action,
        Func<UserAccount, string> detail, CancellationToken cancellationToken)
    {
        name = AccountNames.Normalise(name);
        if (await store.FindAsync(name, cancellationToken).ConfigureAwait(false) is not { } before)
        {
            return new LocalizedText($"没有用户 {name}", $"no account named {name}");
        }

        var (changed, problem) = change(before);
        if (changed is null)
        {
            return problem;
        }

        // The site is never left without an admin who can sign in: the last one cannot be demoted or disabled.
        if (IsActiveAdmin(before) && !IsActiveAdmin(changed) && (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Count(IsActiveAdmin) <= 1)
        {
            return new LocalizedText("不能停用或降级最后一个管理员", "the last enabled admin cannot be disabled or given another role");
        }

        await store.UpdateAsync(changed with { Changed = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, action, name, detail(before), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static bool IsActiveAdmin(UserAccount a) => a.Role == "admin" && !a.Disabled;
}
