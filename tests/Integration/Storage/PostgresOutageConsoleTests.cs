using System.Net;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Integration.Tests.Web;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>
/// The console while PostgreSQL is down: pages that need the database say so with 503 and Retry-After (the service
/// unavailable for now, not a defect's 500), and when the database is back the same session goes on without signing in.
/// </summary>
public sealed class PostgresOutageConsoleTests : IAsyncLifetime
{
    private readonly PostgresServer _server = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("em-pg-console-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _server.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Pages_answer_503_while_the_database_is_down_and_the_session_outlives_the_outage()
    {
        SiteFixture.CopyExampleSiteOnFreePorts(_dir);
        var settings = Path.Combine(_dir, "appsettings.json");
        var port = FreePort.Next();
        await File.WriteAllTextAsync(settings, $$"""
            { "EnergyMonitor": { "SiteFile": "site.yaml",
              "Storage": { "Kind": "Postgres", "Sqlite": { "Path": "db/local.db" }, "Postgres": { "ConnectionString": "{{await _server.CreateDatabaseAsync()}}" } },
              "Http": { "Url": "http://127.0.0.1:{{port}}" } } }
            """, Ct);
        await using (var add = ChildProcess.EnergyMonitor(["user", "add", "officer", "--role", "operator", "--password-stdin", "--settings", settings], _dir))
        {
            await add.InputAsync("outage-password-1");
            Assert.True(await add.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, add.Output);
        }

        await using var service = ChildProcess.EnergyMonitor(["run", "--settings", settings], _dir);
        Assert.True(await service.WaitForOutputAsync("Console, API", TimeSpan.FromSeconds(60), Ct), service.Output);
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), Ct);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using (var signIn = await ServiceFixture.SignInAsync(browser, "officer", "outage-password-1", Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/rankings", Ct)).StatusCode);

        await _server.KillAsync();
        foreach (var page in new[] { "/", "/rankings", "/meters", "/submission" })
        {
            using var down = await browser.GetAsync(page, Ct);
            Assert.True(down.StatusCode == HttpStatusCode.ServiceUnavailable, $"{page}: {(int)down.StatusCode}");
            Assert.True(down.Headers.RetryAfter?.Delta > TimeSpan.Zero, page);
        }

        await _server.StartAsync();
        var back = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 60 && back != HttpStatusCode.OK; i++)
        {
            await Task.Delay(500, Ct);
            back = (await browser.GetAsync("/rankings", Ct)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, back); // the same cookie: the session was in the database all along
    }
}
