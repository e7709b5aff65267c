using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Contracts;

/// <summary>
/// What every database keeps of the console's people: accounts, their sessions, the lockout count, the audit log and
/// the submission explanations. The embedded file and PostgreSQL run the same suite.
/// </summary>
public abstract class AccountStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<(IAccountStore Accounts, IAuditLog Audit, IExplanationStore Explanations)> CreateEmptyAsync();

    private static UserAccount Account(string name, string role = "viewer") => new(name, name.ToUpperInvariant(), role, "hash-" + name, false, 0, null, T0, T0);

    private static ConsoleSession Session(string id, string user) => new(id, user, T0, T0, T0.AddHours(12));

    [Fact]
    public async Task An_account_comes_back_as_added_and_a_name_cannot_be_taken_twice()
    {
        var (accounts, _, _) = await CreateEmptyAsync();

        Assert.True(await accounts.AddAsync(Account("wang", "operator"), Ct));
        Assert.False(await accounts.AddAsync(Account("wang", "admin"), Ct));
        Assert.True(await accounts.AddAsync(Account("li"), Ct));

        Assert.Equal(Account("wang", "operator"), await accounts.FindAsync("wang", Ct));
        Assert.Null(await accounts.FindAsync("WANG", Ct));
        Assert.Equal(["li", "wang"], (await accounts.ListAsync(Ct)).Select(a => a.Name));
    }

    [Fact]
    public async Task Failures_lock_the_account_at_the_limit_and_start_counting_again()
    {
        var (accounts, _, _) = await CreateEmptyAsync();
        await accounts.AddAsync(Account("wang"), Ct);
        var until = T0.AddMinutes(15);

        var counts = new List<(int, DateTimeOffset?)>();
        for (var i = 0; i < 6; i++)
        {
            var after = await accounts.RecordFailureAsync("wang", 5, until.AddMinutes(i), Ct);
            counts.Add((after!.FailedAttempts, after.LockedUntil));
        }

        Assert.Equal([(1, null), (2, null), (3, null), (4, null), (0, until.AddMinutes(4)), (1, until.AddMinutes(4))], counts);
        Assert.Null(await accounts.RecordFailureAsync("nobody", 5, until, Ct));
        await accounts.RecordSuccessAsync("wang", Ct);
        Assert.Equal(0, (await accounts.FindAsync("wang", Ct))!.FailedAttempts);
    }

    [Fact]
    public async Task Failures_recorded_at_once_are_all_counted()
    {
        var (accounts, _, _) = await CreateEmptyAsync();
        await accounts.AddAsync(Account("wang"), Ct);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => accounts.RecordFailureAsync("wang", 100, T0, Ct)));

        Assert.Equal(8, (await accounts.FindAsync("wang", Ct))!.FailedAttempts);
    }

    [Fact]
    public async Task A_session_is_found_with_its_account_until_it_ends()
    {
        var (accounts, _, _) = await CreateEmptyAsync();
        await accounts.AddAsync(Account("wang", "operator"), Ct);
        await accounts.StartSessionAsync(Session("s1", "wang"), Ct);
        await accounts.StartSessionAsync(Session("s2", "wang") with { Expires = T0.AddMinutes(1) }, Ct);

        var found = await accounts.FindSessionAsync("s1", Ct);
        Assert.Equal(("wang", "operator"), (found?.Session.User, found?.Account.Role));
        await accounts.TouchSessionAsync("s1", T0.AddMinutes(30), Ct);
        await accounts.TouchSessionAsync("s1", T0.AddMinutes(10), Ct); // an older touch never moves it back
        Assert.Equal(T0.AddMinutes(30), (await accounts.FindSessionAsync("s1", Ct))?.Session.Seen);

        Assert.Equal(1, await accounts.PruneSessionsAsync(T0.AddMinutes(2), Ct));
        Assert.Null(await accounts.FindSessionAsync("s2", Ct));
        await accounts.EndSessionAsync("s1", Ct);
        Assert.Null(await accounts.FindSessionAsync("s1", Ct));
    }

    [Fact]
    public async Task Changing_the_password_role_or_flag_ends_the_accounts_sessions_and_the_display_name_does_not()
    {
        var (accounts, _, _) = await CreateEmptyAsync();
        var wang = Account("wang", "operator");
        await accounts.AddAsync(wang, Ct);
        await accounts.AddAsync(Account("li"), Ct);
        await accounts.StartSessionAsync(Session("li-1", "li"), Ct);

        async Task<bool> SurvivesAsync(UserAccount changed)
        {
            await accounts.StartSessionAsync(Session("w", "wang"), Ct);
            Assert.True(await accounts.UpdateAsync(changed, Ct));
            var kept = await accounts.FindSessionAsync("w", Ct) is not null;
            await accounts.EndSessionAsync("w", Ct);
            return kept;
        }

        Assert.True(await SurvivesAsync(wang with { DisplayName = "王工" }));
        Assert.False(await SurvivesAsync(wang with { DisplayName = "王工", PasswordHash = "other" }));
        Assert.False(await SurvivesAsync(wang with { DisplayName = "王工", PasswordHash = "other", Role = "viewer" }));
        Assert.False(await SurvivesAsync(wang with { DisplayName = "王工", PasswordHash = "other", Role = "viewer", Disabled = true }));
        Assert.NotNull(await accounts.FindSessionAsync("li-1", Ct)); // another account's sessions are untouched
        Assert.False(await accounts.UpdateAsync(Account("nobody"), Ct));
    }

    [Fact]
    public async Task An_update_clears_the_lock()
    {
        var (accounts, _, _) = await CreateEmptyAsync();
        await accounts.AddAsync(Account("wang"), Ct);
        var locked = await accounts.RecordFailureAsync("wang", 1, T0.AddHours(1), Ct);
        Assert.True(locked!.IsLocked(T0));

        await accounts.UpdateAsync(locked with { Changed = T0.AddMinutes(1) }, Ct);

        var after = await accounts.FindAsync("wang", Ct);
        Assert.False(after!.IsLocked(T0));
        Assert.Equal((0, T0.AddMinutes(1)), (after.FailedAttempts, after.Changed));
    }

    [Fact]
    public async Task The_audit_log_reads_newest_first_in_pages()
    {
        var (_, audit, _) = await CreateEmptyAsync();
        for (var i = 0; i < 5; i++)
        {
            await audit.AppendAsync(new AuditEntry(0, T0.AddMinutes(i), "wang", AuditActions.AlertAcknowledged, $"{i}", "<script>"), Ct);
        }

        var first = await audit.ListAsync(3, null, Ct);
        var second = await audit.ListAsync(3, first[^1].Id, Ct);

        Assert.Equal(["4", "3", "2"], first.Select(e => e.Subject));
        Assert.Equal(["1", "0"], second.Select(e => e.Subject));
        Assert.Equal((T0.AddMinutes(4), "wang", AuditActions.AlertAcknowledged, "<script>"), (first[0].At, first[0].Actor, first[0].Action, first[0].Detail));
    }

    [Fact]
    public async Task An_explanation_replaces_the_fields_earlier_one_and_years_are_apart()
    {
        var (_, _, explanations) = await CreateEmptyAsync();
        var e = new SubmissionExplanation(2025, "school", "指标.人均综合能耗", "用能人数含在校学生", "wang", T0);
        await explanations.SaveAsync(e, Ct);
        await explanations.SaveAsync(e with { Reason = "含学生", By = "li", At = T0.AddHours(1) }, Ct);
        await explanations.SaveAsync(e with { Year = 2024 }, Ct);
        await explanations.SaveAsync(e with { Field = "基本信息.建筑面积", Reason = "新建教学楼" }, Ct);

        Assert.Equal([e with { Reason = "含学生", By = "li", At = T0.AddHours(1) }, e with { Field = "基本信息.建筑面积", Reason = "新建教学楼" }],
            (await explanations.ListAsync(2025, Ct)).OrderBy(x => x.Field, StringComparer.Ordinal).Reverse());
        Assert.True(await explanations.RemoveAsync(2025, "school", "基本信息.建筑面积", Ct));
        Assert.False(await explanations.RemoveAsync(2025, "school", "基本信息.建筑面积", Ct));
        Assert.Single(await explanations.ListAsync(2025, Ct));
        Assert.Single(await explanations.ListAsync(2024, Ct));
    }
}
