using EnergyMonitor.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests;

/// <summary>The `energymonitor` executable as an operator runs it: a real process, real files, real signals.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-cli-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string RepoConfig(string file) => Path.Combine(SiteFixture.ConfigDirectory(), file);

    [Fact]
    public async Task Check_config_on_a_broken_site_exits_2_and_names_the_field_path()
    {
        var broken = Path.Combine(_dir, "site.yaml");
        var text = await File.ReadAllTextAsync(RepoConfig("site.yaml"), Ct);
        await File.WriteAllTextAsync(broken, text.Replace("multiplier: { ct: 400/5 }", "multiplier: { ct: -400/5 }", StringComparison.Ordinal), Ct);

        await using var process = ChildProcess.EnergyMonitor(["check-config", broken, "--settings", Path.Combine(_dir, "none.json")], _dir);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("institutions[0].buildings[0].meters[1].multiplier.ct: found \"-400/5\"", process.Output); // meters[0] is the outdoor temperature sensor
    }

    private void CopySite() => SiteFixture.CopyExampleSite(_dir);

    [Fact]
    public async Task Run_starts_the_service_opens_the_store_and_stops_cleanly_on_sigterm()
    {
        CopySite();
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"),
            $$"""{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "db/em.db" } }, "Http": { "Url": "http://127.0.0.1:{{FreePort.Next()}}" } } }""", Ct);

        await using var process = ChildProcess.EnergyMonitor(["run", "--settings", Path.Combine(_dir, "appsettings.json")], _dir);
        Assert.True(await process.WaitForOutputAsync("Serving site", TimeSpan.FromSeconds(60), Ct), process.Output);
        process.Signal("TERM");

        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(exit == 0, $"exit {exit}:\n{process.Output}");
        Assert.True(File.Exists(Path.Combine(_dir, "db", "em.db")));
        Assert.Contains("26 meters", process.Output); // 25 energy meters and the outdoor temperature sensor
    }

    [Fact]
    public async Task Run_refuses_to_serve_plain_http_on_every_address_and_exits_2()
    {
        CopySite();
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"),
            $$"""{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "db/em.db" } }, "Http": { "Url": "http://0.0.0.0:{{FreePort.Next()}}" } } }""", Ct);

        await using var process = ChildProcess.EnergyMonitor(["run", "--settings", Path.Combine(_dir, "appsettings.json")], _dir);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("EnergyMonitor:Http:AllowPlainHttp", process.Output);
        Assert.DoesNotContain("EnergyMonitor:Http:ApiKeys", process.Output); // people sign in with accounts; no key is needed to listen
        Assert.DoesNotContain("Serving site", process.Output);
    }

    [Fact]
    public async Task Run_under_a_service_manager_reports_ready_then_stopping_and_stops_within_its_bound()
    {
        CopySite();
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"),
            $$"""{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "db/em.db" } }, "Http": { "Url": "http://127.0.0.1:{{FreePort.Next()}}" } } }""", Ct);

        // What systemd does for Type=notify: a datagram socket named in NOTIFY_SOCKET.
        var path = Path.Combine(_dir, "notify.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        async Task<string> NextAsync()
        {
            var buffer = new byte[4096];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            var read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }

        await using var process = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "energymonitor.dll"), "run", "--settings", Path.Combine(_dir, "appsettings.json")], _dir,
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path });
        Assert.Contains("READY=1", (await NextAsync()).Split('\n'));
        Assert.Contains("Serving site", process.Output);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        process.Signal("TERM");
        Assert.Contains("STOPPING=1", (await NextAsync()).Split('\n'));
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(70), Ct);
        Assert.True(exit == 0, $"exit {exit} after {clock.Elapsed}:\n{process.Output}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"stopped in {clock.Elapsed}");
    }

    [Fact]
    public async Task Run_with_an_invalid_settings_value_exits_2_before_starting()
    {
        CopySite();
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"),
            """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "" } } } }""", Ct);

        await using var process = ChildProcess.EnergyMonitor(["run", "--settings", Path.Combine(_dir, "appsettings.json")], _dir);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("EnergyMonitor:Storage:Sqlite:Path", process.Output);
        Assert.DoesNotContain("Serving site", process.Output);
    }

    [Fact]
    public async Task Demo_fills_the_store_with_one_reading_per_meter_per_interval()
    {
        var db = Path.Combine(_dir, "demo.db");

        await using var process = ChildProcess.EnergyMonitor(
            ["demo", "history", "--settings", RepoConfig("appsettings.json"), "--db", db, "--days", "3", "--mqtt-days", "2"], _dir);

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct) == 0, process.Output);
        await using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT meter_key) FROM readings";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        // 24 meters every 15 minutes (96 a day), the hourly outdoor temperature sensor and one manually read daily
        // meter: (24 × 96 + 24 + 1) × 3.
        Assert.Equal((24 * 96 + 24 + 1) * 3, reader.GetInt64(0));
        Assert.Equal(26, reader.GetInt64(1));
        Assert.Contains("wrote 6,987 readings", process.Output);

        // The five water and gas meters bound to MQTT topics (two days of 96 readings each) and the temperature sensor
        // (two days of 24) through the broker; the heat meter is read over CJ/T 188 now.
        Assert.Contains("1,008 readings of 6 meters", process.Output);
    }

    [Fact]
    public async Task The_demo_catches_every_planted_fault_writes_what_each_user_reads_and_leaves_nothing_running()
    {
        var output = Path.Combine(_dir, "out");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await using var process = ChildProcess.EnergyMonitor(["demo", "--settings", RepoConfig("appsettings.json"), "--out", output, "--live", "8"], _dir);

        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(180), Ct) == 0, process.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
        Assert.Contains("all 7 planted faults caught", process.Output);
        foreach (var fault in new[] { "night-leak", "stuck", "dayoff-baseload", "gateway-offline", "Replacement", "Rollover", "Unavailable" })
        {
            Assert.Contains(fault, process.Output);
        }

        var reports = Directory.GetFiles(Path.Combine(output, "data", "reports"), "report-region-*", SearchOption.AllDirectories).Select(Path.GetExtension).ToHashSet();
        Assert.Superset(new HashSet<string?> { ".html", ".pdf", ".xlsx" }, reports);
        Assert.True(Directory.GetFiles(Path.Combine(output, "data", "submissions"), "submission-*", SearchOption.AllDirectories).Length > 0);
        // One fault, one alert: each alerting planted fault is in the log once; the stuck chiller's catch-up and its
        // parent's imbalance are folded into its alert, not beside it (issue 26).
        var log = File.ReadAllLines(Path.Combine(output, "alerts.csv"));
        foreach (var (rule, subject) in new[] { ("night-leak", "adm-main-water"), ("stuck", "hos-chiller"), ("dayoff-baseload", "adm-main-ac") })
        {
            Assert.Single(log, l => l.Contains($",{rule},", StringComparison.Ordinal) && l.Contains($",{subject},", StringComparison.Ordinal));
        }

        Assert.Single(log, l => l.Contains(",gateway-offline,", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains(",spike,", StringComparison.Ordinal) && l.Contains(",hos-chiller,", StringComparison.Ordinal));
        Assert.Contains("oldFinalReading", await File.ReadAllTextAsync(Path.Combine(output, "site.yaml"), Ct));

        // The hospital's DL/T 645 line was read live through the service: two sub-meters and the CJ/T 188 heat meter,
        // each counter going on from its history, with its points (power, temperatures) beside it.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(output, "data", "energymonitor.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT m.meter_id, COUNT(*), MIN(r.quality) FROM readings r JOIN meters m USING (meter_key)
                WHERE r.ts_ms % 60000 <> 0 AND m.meter_id IN ('hos-lifts', 'hos-it', 'hos-heat', 'hos-heat/supply_temperature', 'hos-lifts/power_total')
                GROUP BY m.meter_id
                """;
            var live = new Dictionary<string, long>();
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                Assert.Equal(0, reader.GetInt64(2));
                live[reader.GetString(0)] = reader.GetInt64(1);
            }

            Assert.Equal(5, live.Count);
        }

        var submission = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(output, "data", "submissions"), "submission-*.json", SearchOption.AllDirectories)[0], Ct);
        // The CJ/T 188 heat meter's GJ counter is the hospital's 采暖 (heating) form.
        Assert.Matches("\"heating\": \\{\\s*\"heatGj\": [1-9]", submission);

        // Nothing left listening: the simulated gateways' and the broker's ports are free again.
        foreach (var port in new[] { 15020, 15021, 15022, 15023 })
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
