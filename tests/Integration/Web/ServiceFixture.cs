using System.Net.Sockets;
using System.Text;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Web;

namespace EnergyMonitor.Integration.Tests.Web;

/// <summary>
/// The service as an operator runs it: `energymonitor run` as a child process on the example site (one building
/// renamed with a script tag), its Modbus gateways served by `energymonitor modbus simulate`, a real Mosquitto,
/// 35 days of history with rollups, alerts and an archived report, and a plain sd_notify socket standing in for
/// systemd. The API and console tests share it.
/// </summary>
public sealed partial class ServiceFixture : IAsyncLifetime
{
    public const string HostileName = "行政中心主楼<script>alert('x')</script>";

    /// <summary>The school's name: a spreadsheet formula and a script, to be shown as text and exported as text.</summary>
    public const string HostileInstitution = "=HYPERLINK(\"http://evil.example\")<script>alert(4)</script>二中";
    private readonly MosquittoBroker _broker = new();
    private readonly List<string> _notifications = [];
    private ChildProcess? _simulator;
    private Socket? _notify;
    private Task? _notifyLoop;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("em-web-").FullName;

    public int Port { get; } = FreePort.Next();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string ViewerKey { get; } = ApiKeys.NewKey();

    public string OperatorKey { get; } = ApiKeys.NewKey();

    public MosquittoBroker Broker => _broker;

    /// <summary>The console's people, made with `energymonitor user add` before the service starts.</summary>
    public static ConsoleAccount Viewer { get; } = new("viewer1", "viewer", "查看员<b>小李</b>", "viewer-password-1");

    public static ConsoleAccount Officer { get; } = new("officer1", "operator", "节能办 王工", "officer-password-1");

    public static ConsoleAccount Admin { get; } = new("admin1", "admin", "\"><img src=x onerror=alert(2)>", "admin-password-1");

    /// <summary>
    /// The moment the service and every command of the fixture believe it is (ENERGYMONITOR_NOW), so that what the
    /// pages show does not depend on the day the tests run: a Tuesday late in a month, mid-morning, with 23 days of
    /// the month behind it. On the 1st to the 20th of a month the real clock gave the month-to-date chart fewer
    /// than 20 days, and in the small hours no meter had been silent long enough to raise an alert.
    /// </summary>
    public static DateTimeOffset Now { get; } = new(2026, 11, 24, 10, 30, 0, TimeSpan.FromHours(8));

    /// <summary>The fixture's clock, running from <see cref="Now"/> as the service's does.</summary>
    public TimeProvider Clock { get; } = new EnergyMonitor.Service.Hosting.ProcessClock.StartedClock(Now);

    private static Dictionary<string, string> ClockEnvironment => new() { [EnergyMonitor.Service.Hosting.ProcessClock.Variable] = Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };

    public ChildProcess? Service { get; private set; }

    public string Settings => Path.Combine(Directory, "appsettings.json");

    public string Database => Path.Combine(Directory, "db", "em.db");

    public IReadOnlyList<string> Notifications
    {
        get
        {
            lock (_notifications)
            {
                return [.. _notifications];
            }
        }
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>A browser signed in to the console as <paramref name="account"/>, its cookies kept, redirects not followed.</summary>
    public async Task<HttpClient> SignedInAsync(ConsoleAccount account)
    {
        var ct = TestContext.Current.CancellationToken;
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var signIn = await SignInAsync(browser, account.Name, account.Password, ct);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    /// <summary>Posts the sign-in form as a browser would, with the token of the page it just fetched.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string name, string password, CancellationToken ct)
    {
        var login = await browser.GetStringAsync("/login", ct);
        return await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(TokenField().Match(login).Groups[1].Value),
            ["name"] = name,
            ["password"] = password,
            ["lang"] = "zh",
        }), ct);
    }

    /// <summary>The antiforgery token of a console page's forms.</summary>
    public static string Token(string html) => System.Net.WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);

    /// <summary>The service process's resident memory, in MB.</summary>
    public long RssMb() =>
        long.Parse(File.ReadLines($"/proc/{Service!.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex TokenField();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await _broker.InitializeAsync();
        var config = SiteFixture.ConfigDirectory();
        foreach (var file in new[] { "holidays-cn.csv", "tariffs.yaml", "quotas.yaml", "scorecard.yaml" })
        {
            File.Copy(Path.Combine(config, file), Path.Combine(Directory, file));
        }

        var site = SiteFixture.CopyExampleSiteOnFreePorts(Directory);
        site = site.Replace("name: 行政中心主楼\n", $"name: \"{HostileName}\"\n", StringComparison.Ordinal);
        site = site.Replace("    name: 溧水区第二中学\n", "    name: \"=HYPERLINK(\\\"http://evil.example\\\")<script>alert(4)</script>二中\"\n", StringComparison.Ordinal);
        site = site.Replace("name: 主楼总水表\n", "name: \"<img src=x onerror=alert(1)>水表\"\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(Directory, "site.yaml"), site, ct);
        await File.WriteAllTextAsync(Settings, $$"""
            { "EnergyMonitor": {
                "SiteFile": "site.yaml",
                "Storage": { "Sqlite": { "Path": "db/em.db" } },
                "Mqtt": { "Brokers": [ { "Name": "test", "Host": "127.0.0.1", "Port": {{_broker.Port}}, "ClientId": "em-web" } ] },
                "Http": {
                  "Url": "http://127.0.0.1:{{Port}}",
                  "OpenApi": true,
                  "FailedAuthPerMinute": 5,
                  "ApiKeys": [
                    { "Name": "viewer-1", "Hash": "{{ApiKeys.Hash(ViewerKey, 1000)}}", "Role": "viewer" },
                    { "Name": "officer-1", "Hash": "{{ApiKeys.Hash(OperatorKey, 1000)}}", "Role": "operator" } ] } } }
            """, ct);

        // History, rollups, alerts and one archived report, through the same commands an operator uses, all on the
        // fixture's clock. The history ends at local midnight of Now, and the open alerts are meters silent since.
        var lastMonth = Now.AddMonths(-1);
        foreach (var command in new[]
        {
            new[] { "demo", "history", "--settings", Settings, "--db", Database, "--days", "35", "--mqtt-days", "0" },
            ["rollup", "--settings", Settings],
            ["alerts", "check", "--settings", Settings],
            ["report", "--settings", Settings, "--period", $"{lastMonth:yyyy-MM}", "--scope", "region", "--format", "html,pdf", "--out", Path.Combine(Directory, "db", "reports")],
        })
        {
            await using var step = ChildProcess.EnergyMonitor(command, Directory, ClockEnvironment);
            var exit = await step.WaitForExitAsync(TimeSpan.FromSeconds(120), ct);
            Assert.True(exit == 0, $"{command[0]} exited {exit}:\n{step.Output}");
        }

        foreach (var account in new[] { Viewer, Officer, Admin })
        {
            await using var add = ChildProcess.EnergyMonitor(["user", "add", account.Name, "--role", account.Role, "--display-name", account.DisplayName, "--password-stdin", "--settings", Settings], Directory, ClockEnvironment);
            await add.InputAsync(account.Password);
            Assert.True(await add.WaitForExitAsync(TimeSpan.FromSeconds(60), ct) == 0, add.Output);
        }

        _simulator = ChildProcess.EnergyMonitor(["modbus", "simulate", "--settings", Settings], Directory, ClockEnvironment);
        Assert.True(await _simulator.WaitForOutputAsync("simulating gateway gw-hospital", TimeSpan.FromSeconds(60), ct), _simulator.Output);

        // sd_notify: a datagram socket the service is told about in NOTIFY_SOCKET, as systemd would.
        var socketPath = Path.Combine(Directory, "notify.sock");
        _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        _notifyLoop = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (true)
            {
                int read;
                try
                {
                    read = await _notify.ReceiveAsync(buffer, SocketFlags.None);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                lock (_notifications)
                {
                    _notifications.Add(Encoding.UTF8.GetString(buffer, 0, read));
                }
            }
        }, ct);

        Service = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "energymonitor.dll"), "run", "--settings", Settings], Directory,
            new Dictionary<string, string>(ClockEnvironment) { ["NOTIFY_SOCKET"] = socketPath });
        Assert.True(await Service.WaitForOutputAsync("Console, API", TimeSpan.FromSeconds(90), ct), Service.Output);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30), ct);
    }

    public async ValueTask DisposeAsync()
    {
        // Every path out, a failed start included, stops what was started.
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        _notify?.Dispose();
        if (_notifyLoop is not null)
        {
            await _notifyLoop;
        }

        await _broker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition("service")]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>;

/// <summary>A person's account on the fixture's console.</summary>
public sealed record ConsoleAccount(string Name, string Role, string DisplayName, string Password);
