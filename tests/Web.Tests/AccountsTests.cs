using System.Security.Claims;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Relational;
using EnergyMonitor.Web.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Web.Tests;

/// <summary>
/// Sign-in, lockout, sessions and account changes through <see cref="AccountService"/> and <see cref="ConsoleSessions"/>
/// on a real embedded database: what an officer, an admin and a guesser each meet.
/// </summary>
public sealed class AccountsTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _directory = Directory.CreateTempSubdirectory("em-accounts-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
    private readonly AccountPolicy _policy = new(5, TimeSpan.FromMinutes(15), TimeSpan.FromHours(12), TimeSpan.FromMinutes(120), PasswordIterations: 1000);
    private AccountStore _store = null!;
    private AuditLog _audit = null!;
    private AccountService _accounts = null!;
    private ConsoleSessions _sessions = null!;

    public async ValueTask InitializeAsync()
    {
        var sql = SqlConnections.Of(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(_directory, "em.db") }, Ct));
        _store = new AccountStore(sql);
        _audit = new AuditLog(sql);
        _accounts = new AccountService(_store, _audit, _policy, _time);
        _sessions = new ConsoleSessions(_store, _policy, _time);
        Assert.Null(await _accounts.AddAsync("cli:root", "admin", "管理员", "admin", "correct horse battery", Ct));
        Assert.Null(await _accounts.AddAsync("admin", "Wang.Officer", "王工", "operator", "staple-grade-7", Ct));
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<ClaimsPrincipal> SignInAsync(string name, string password)
    {
        var (outcome, account) = await _accounts.SignInAsync(name, password, Ct);
        Assert.Equal(SignInOutcome.SignedIn, outcome);
        return await _sessions.StartAsync(account!, "cookie", Ct);
    }

    [Fact]
    public async Task A_name_is_typed_in_any_case_and_a_wrong_password_an_unknown_name_and_a_disabled_account_get_one_answer()
    {
        Assert.Equal(SignInOutcome.SignedIn, (await _accounts.SignInAsync(" WANG.officer ", "staple-grade-7", Ct)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await _accounts.SignInAsync("wang.officer", "staple-grade-8", Ct)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await _accounts.SignInAsync("nobody", "staple-grade-7", Ct)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await _accounts.SignInAsync("<script>", "x", Ct)).Outcome);
        Assert.Null(await _accounts.SetDisabledAsync("admin", "wang.officer", true, Ct));
        Assert.Equal(SignInOutcome.Refused, (await _accounts.SignInAsync("wang.officer", "staple-grade-7", Ct)).Outcome);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one_until_the_lock_ends_or_an_admin_unlocks_it()
    {
        var outcomes = new List<SignInOutcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add((await _accounts.SignInAsync("wang.officer", $"guess-number-{i}", Ct)).Outcome);
        }

        Assert.Equal([SignInOutcome.Refused, SignInOutcome.Refused, SignInOutcome.Refused, SignInOutcome.Refused, SignInOutcome.Locked], outcomes);
        Assert.Equal(SignInOutcome.Locked, (await _accounts.SignInAsync("wang.officer", "staple-grade-7", Ct)).Outcome);
        _time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(SignInOutcome.Locked, (await _accounts.SignInAsync("wang.officer", "staple-grade-7", Ct)).Outcome);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInOutcome.SignedIn, (await _accounts.SignInAsync("wang.officer", "staple-grade-7", Ct)).Outcome);

        for (var i = 0; i < 5; i++)
        {
            await _accounts.SignInAsync("wang.officer", $"guess-number-{i}", Ct);
        }

        Assert.Null(await _accounts.UnlockAsync("admin", "wang.officer", Ct));
        Assert.Equal(SignInOutcome.SignedIn, (await _accounts.SignInAsync("wang.officer", "staple-grade-7", Ct)).Outcome);
        var log = await _audit.ListAsync(100, null, Ct);
        Assert.Equal(2, log.Count(e => e.Action == AuditActions.UserLockedOut && e.Subject == "wang.officer"));
        Assert.Contains(log, e => e.Action == AuditActions.UserUnlocked && e.Actor == "admin");
    }

    [Fact]
    public async Task A_good_password_forgets_the_failures_before_it()
    {
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(SignInOutcome.Refused, (await _accounts.SignInAsync("wang.officer", "nope-nope-nope", Ct)).Outcome);
            }

            Assert.Equal(SignInOutcome.SignedIn, (await _accounts.SignInAsync("wang.officer", "staple-grade-7", Ct)).Outcome);
        }
    }

    [Fact]
    public async Task A_session_ends_at_sign_out_at_its_lifetime_and_when_idle()
    {
        var signedOut = await SignInAsync("wang.officer", "staple-grade-7");
        Assert.Equal("wang.officer", (await _sessions.ValidateAsync(signedOut, Ct))?.Name);
        await _sessions.EndAsync(signedOut, Ct);
        Assert.Null(await _sessions.ValidateAsync(signedOut, Ct)); // the same cookie, replayed

        var busy = await SignInAsync("wang.officer", "staple-grade-7");
        for (var i = 0; i < 11; i++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            Assert.NotNull(await _sessions.ValidateAsync(busy, Ct));
        }

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await _sessions.ValidateAsync(busy, Ct)); // twelve hours after sign-in, however active

        var idle = await SignInAsync("wang.officer", "staple-grade-7");
        _time.Advance(TimeSpan.FromMinutes(119));
        Assert.NotNull(await _sessions.ValidateAsync(idle, Ct));
        _time.Advance(TimeSpan.FromMinutes(119));
        Assert.NotNull(await _sessions.ValidateAsync(idle, Ct)); // used within the limit, so still good
        _time.Advance(TimeSpan.FromMinutes(120));
        Assert.Null(await _sessions.ValidateAsync(idle, Ct));
    }

    [Fact]
    public async Task A_new_password_a_new_role_or_disabling_ends_every_session_of_the_account_and_no_other()
    {
        var admin = await SignInAsync("admin", "correct horse battery");
        var password = "staple-grade-7";
        foreach (var (change, next) in new (Func<Task<Core.Domain.LocalizedText?>> Change, string Password)[]
        {
            (() => _accounts.SetPasswordAsync("admin", "wang.officer", "another-good-one", Ct), "another-good-one"),
            (() => _accounts.SetRoleAsync("admin", "wang.officer", "viewer", Ct), "another-good-one"),
            (() => _accounts.SetDisabledAsync("admin", "wang.officer", true, Ct), "another-good-one"),
        })
        {
            var first = await SignInAsync("wang.officer", password);
            var second = await SignInAsync("wang.officer", password);
            Assert.Null(await change());
            Assert.Null(await _sessions.ValidateAsync(first, Ct));
            Assert.Null(await _sessions.ValidateAsync(second, Ct));
            password = next;
        }

        Assert.NotNull(await _sessions.ValidateAsync(admin, Ct));
        var log = await _audit.ListAsync(100, null, Ct);
        Assert.Contains(log, e => e is { Action: AuditActions.RoleChanged, Actor: "admin", Subject: "wang.officer" } && e.Detail.Contains("operator → viewer", StringComparison.Ordinal));
        Assert.Contains(log, e => e is { Action: AuditActions.UserDisabled, Actor: "admin", Subject: "wang.officer" });
        Assert.Contains(log, e => e is { Action: AuditActions.PasswordChanged, Subject: "wang.officer" } && !e.Detail.Contains("another-good-one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_disabled_nor_demoted_while_another_admin_can()
    {
        Assert.NotNull(await _accounts.SetDisabledAsync("admin", "admin", true, Ct));
        Assert.NotNull(await _accounts.SetRoleAsync("admin", "admin", "operator", Ct));
        Assert.Null(await _accounts.SetRoleAsync("admin", "wang.officer", "admin", Ct));
        Assert.Null(await _accounts.SetRoleAsync("wang.officer", "admin", "operator", Ct));
        Assert.Equal("operator", (await _store.FindAsync("admin", Ct))!.Role);
    }

    [Theory]
    [InlineData("short", "wang")]
    [InlineData("aaaaaaaaaaaaaaaa", "wang")]
    [InlineData("wang-is-my-name-1", "wang")]
    public async Task A_weak_password_is_refused_with_its_reason(string password, string name)
    {
        var problem = await _accounts.AddAsync("admin", name, "", "viewer", password, Ct);

        Assert.NotNull(problem);
        Assert.Null(await _store.FindAsync(name, Ct));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("1abc")]
    [InlineData("wang officer")]
    [InlineData("<script>")]
    [InlineData("wang\u0000")]
    public async Task A_malformed_name_is_refused(string name)
    {
        Assert.NotNull(await _accounts.AddAsync("admin", name, "", "viewer", "long-enough-password", Ct));
        Assert.Equal(2, (await _store.ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task A_hostile_display_name_is_kept_as_text_and_a_role_outside_the_three_is_refused()
    {
        Assert.Null(await _accounts.AddAsync("admin", "li", "\"><img src=x onerror=alert(1)>", "viewer", "long-enough-password", Ct));
        Assert.Equal("\"><img src=x onerror=alert(1)>", (await _store.FindAsync("li", Ct))!.DisplayName);
        Assert.NotNull(await _accounts.AddAsync("admin", "zhao", "", "root", "long-enough-password", Ct));
        Assert.NotNull(await _accounts.AddAsync("admin", "li", "", "viewer", "long-enough-password", Ct)); // taken
    }

    [Fact]
    public void Stored_hashes_use_the_policys_iterations_and_never_the_password()
    {
        var hash = Passwords.Hash("correct horse battery");

        Assert.StartsWith($"pbkdf2-sha256${Passwords.Iterations}$", hash, StringComparison.Ordinal);
        Assert.True(Passwords.Verify("correct horse battery", hash));
        Assert.False(Passwords.Verify("correct horse batterY", hash));
        Assert.DoesNotContain("horse", hash, StringComparison.Ordinal);
        Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{16}$", Passwords.Generate());
    }
}
