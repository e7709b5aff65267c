using System.Net;
using System.Text.RegularExpressions;

namespace EnergyMonitor.Integration.Tests.Web;

/// <summary>
/// People in the running service's console: an admin makes an account, its holder signs in with the password shown
/// once, the admin resets and disables it; wrong passwords lock an account; a viewer reaches no admin page and changes
/// nothing; every change is in the audit log, hostile names shown as text.
/// </summary>
[Collection("service")]
public sealed partial class ConsoleAccountTests(ServiceFixture service)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FormUrlEncodedContent Form(string html, params (string Key, string Value)[] fields) =>
        new(new Dictionary<string, string>(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))) { ["__RequestVerificationToken"] = ServiceFixture.Token(html) });

    private static async Task<string> AddAsync(HttpClient admin, string name, string displayName, string role)
    {
        var page = await admin.GetStringAsync("/admin/users", Ct);
        using var added = await admin.PostAsync("/admin/users", Form(page, ("name", name), ("displayName", displayName), ("role", role)), Ct);
        var html = await added.Content.ReadAsStringAsync(Ct);
        Assert.True(added.StatusCode == HttpStatusCode.OK, html);
        Assert.True(added.Headers.CacheControl?.NoStore, $"{added.Headers.CacheControl}");
        return ShownPassword().Match(html).Groups[1].Value;
    }

    private HttpClient Browser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task An_admin_makes_an_account_whose_holder_signs_in_and_a_reset_or_disable_ends_their_session()
    {
        using var admin = await service.SignedInAsync(ServiceFixture.Admin);
        var password = await AddAsync(admin, "Zhao.Energy", "赵<script>alert(3)</script>", "operator");
        Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{16}$", password);

        using var zhao = Browser();
        using (var signIn = await ServiceFixture.SignInAsync(zhao, "zhao.energy", password, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var overview = await zhao.GetStringAsync("/", Ct);
        Assert.Contains("赵&lt;script&gt;alert(3)&lt;/script&gt;", overview, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(3)", overview, StringComparison.Ordinal);

        // A new password, made up and shown once to the admin: the old session is over, the new password works.
        var users = await admin.GetStringAsync("/admin/users", Ct);
        using var reset = await admin.PostAsync("/admin/users/zhao.energy", Form(users, ("action", "password")), Ct);
        var newPassword = ShownPassword().Match(await reset.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        Assert.NotEqual(password, newPassword);
        using (var after = await zhao.GetAsync("/", Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        }

        using (var old = await ServiceFixture.SignInAsync(Browser(), "zhao.energy", password, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        using (var signIn = await ServiceFixture.SignInAsync(zhao, "zhao.energy", newPassword, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var disable = await admin.PostAsync("/admin/users/zhao.energy", Form(users, ("action", "disable")), Ct);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        using (var after = await zhao.GetAsync("/", Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        }

        using (var refused = await ServiceFixture.SignInAsync(Browser(), "zhao.energy", newPassword, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The audit log, read by the admin: who did what to whom, newest first, names as text.
        var audit = await admin.GetStringAsync("/admin/audit", Ct);
        var actions = AuditRow().Matches(audit).Select(m => m.Groups[1].Value).Where(a => a.StartsWith("user.", StringComparison.Ordinal)).Take(3).ToList();
        Assert.Equal(["user.disable", "user.password", "user.add"], actions);
        Assert.Contains("赵&lt;script&gt;", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_passwords_lock_an_account_which_then_cannot_sign_in_with_the_right_one_until_an_admin_unlocks_it()
    {
        using var admin = await service.SignedInAsync(ServiceFixture.Admin);
        var password = await AddAsync(admin, "qian", "钱", "viewer");

        // The fifth wrong password locks the account; the client's own throttle (five a minute per name) counts the
        // four refusals before it and so does not yet stand in the way.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await ServiceFixture.SignInAsync(Browser(), "qian", $"not-the-password-{i}", Ct);
            statuses.Add(wrong.StatusCode);
        }

        using var right = await ServiceFixture.SignInAsync(Browser(), "qian", password, Ct);
        var html = await right.Content.ReadAsStringAsync(Ct);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], statuses);
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("账号已锁定", html, StringComparison.Ordinal);
        var users = await admin.GetStringAsync("/admin/users", Ct);
        Assert.Matches("data-user=\"qian\"[\\s\\S]*?已锁定", users);

        using var unlock = await admin.PostAsync("/admin/users/qian", Form(users, ("action", "unlock")), Ct);
        using var again = await ServiceFixture.SignInAsync(Browser(), "qian", password, Ct);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task A_viewer_reaches_no_admin_page_and_changes_nothing()
    {
        using var viewer = await service.SignedInAsync(ServiceFixture.Viewer);
        var overview = await viewer.GetStringAsync("/", Ct);
        Assert.DoesNotContain("/admin/users", overview, StringComparison.Ordinal);

        foreach (var path in new[] { "/admin/users", "/admin/audit" })
        {
            using var page = await viewer.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("无权访问", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using var add = await viewer.PostAsync("/admin/users", Form(overview, ("name", "sneaky"), ("role", "admin")), Ct);
        using var promote = await viewer.PostAsync($"/admin/users/{ServiceFixture.Viewer.Name}", Form(overview, ("action", "role"), ("role", "admin")), Ct);
        using var ack = await viewer.PostAsync("/alerts/1/ack", Form(overview, ("back", "/alerts")), Ct);
        using var explain = await viewer.PostAsync("/submission/2026/explain", Form(overview, ("institution", "lishui-admin"), ("field", "指标.人均综合能耗"), ("reason", "viewer")), Ct);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            new[] { add.StatusCode, promote.StatusCode, ack.StatusCode, explain.StatusCode });
        using var admin = await service.SignedInAsync(ServiceFixture.Admin);
        var users = await admin.GetStringAsync("/admin/users", Ct);
        Assert.DoesNotContain("data-user=\"sneaky\"", users, StringComparison.Ordinal);
    }

    [GeneratedRegex("<code>([^<]+)</code>")]
    private static partial Regex ShownPassword();

    [GeneratedRegex("<td class=\"nowrap\" data-label=\"[^\"]*\">(user\\.[a-z]+|alert\\.[a-z]+|session\\.[a-z]+|explanation\\.[a-z]+)</td>")]
    private static partial Regex AuditRow();
}
