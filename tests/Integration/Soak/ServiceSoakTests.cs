using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyMonitor.Acquisition;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Simulation;
using EnergyMonitor.Storage.Influx;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;

namespace EnergyMonitor.Integration.Tests.Soak;

/// <summary>
/// The service as a child process against real Mosquitto (persistent) and real influxd, its gateways served by
/// `modbus simulate`, while it is killed with SIGKILL and restarted, influxd is stopped for 30 s, Mosquitto is
/// restarted and the alert channel's endpoint fails. At the end every MQTT reading published is in InfluxDB once,
/// the rollups equal a backfill from scratch, every alert notification was accepted exactly once after the channel
/// recovered, and the service's memory stayed flat.
/// </summary>
public sealed partial class ServiceSoakTests : IAsyncLifetime
{
    private readonly InfluxDbServer _influx = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("em-soak-").FullName;
    private readonly int _brokerPort = FreePort.Next();
    private readonly ConcurrentQueue<(long Notification, int Status)> _deliveries = new();
    private readonly ITestOutputHelper _output;
    private ChildProcess? _broker;
    private ChildProcess? _simulator;
    private readonly List<ChildProcess> _services = [];
    private volatile bool _channelUp;

    public ServiceSoakTests(ITestOutputHelper output) => _output = output;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _influx.InitializeAsync();
        await StartBrokerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // The service instances, on every path out: a failed assertion must not leave one running.
        foreach (var child in _services)
        {
            await child.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        await _influx.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private ChildProcess Owned(ChildProcess service)
    {
        _services.Add(service);
        return service;
    }

    /// <summary>Mosquitto with persistence, so that a restart keeps the collector's session and its queued messages.</summary>
    private async Task StartBrokerAsync()
    {
        var config = Path.Combine(_dir, "mosquitto.conf");
        Directory.CreateDirectory(Path.Combine(_dir, "mosquitto"));
        await File.WriteAllTextAsync(config, $"""
            listener {_brokerPort} 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location {Path.Combine(_dir, "mosquitto")}/
            autosave_interval 1
            user root
            max_queued_messages 100000
            log_dest stdout
            """);
        _broker = ChildProcess.Start("mosquitto", ["-c", config]);
        await FreePort.WaitUntilListeningAsync(_brokerPort, TimeSpan.FromSeconds(15), CancellationToken.None);
    }

    private static long RssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(Digits().Match(line).Value, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [Fact]
    public async Task Killed_restarted_and_starved_of_its_servers_the_service_loses_nothing_duplicates_nothing_and_delivers_each_alert_once()
    {
        // The example site, its gateways on free ports served by the simulator; its MQTT meters fed by this test.
        SiteFixture.CopyExampleSiteOnFreePorts(_dir);
        var (loaded, errors) = SiteFiles.Load(Path.Combine(_dir, "site.yaml"), TimeProvider.System);
        Assert.Empty(errors);
        var site = loaded!.Model;
        var mqttMeters = site.Meters.Where(m => m.Source is MqttSource && !m.IsGauge && m.RolloverAt is null).ToList();
        var silent = mqttMeters[^1];
        var fed = mqttMeters[..^1];

        // Down, the endpoint answers 503 with Retry-After: 3, as a receiver in maintenance does. Without it the
        // dispatcher backs off 5, 10, 20, 40, 80 s: when the service's own pass raised the alert early, the fifth
        // failure fell just before the channel came back and the next try after the test's minute (CI, 2026-12-07).
        await using var endpoint = new HttpEndpoint(request =>
        {
            var status = _channelUp ? 200 : 503;
            foreach (var e in JsonDocument.Parse(request.Body).RootElement.GetProperty("events").EnumerateArray())
            {
                _deliveries.Enqueue((e.GetProperty("notification").GetInt64(), status));
            }

            return (status, "{}");
        })
        {
            ResponseHeaders = status => status == 503 ? new Dictionary<string, string> { ["Retry-After"] = "3" } : new Dictionary<string, string>(),
        };
        var database = "soak_" + Guid.NewGuid().ToString("N")[..8];
        var settings = Path.Combine(_dir, "appsettings.json");
        await File.WriteAllTextAsync(settings, $$"""
            { "EnergyMonitor": { "SiteFile": "site.yaml",
                "Storage": { "Kind": "Influx", "Sqlite": { "Path": "db/em.db" },
                  "Influx": { "Url": "{{_influx.Url}}", "Database": "{{database}}", "TimeoutSeconds": 3 },
                  "Outbox": { "BatchSize": 500, "BatchDelay": "00:00:00.200" } },
                "Mqtt": { "Brokers": [ { "Name": "soak", "Host": "127.0.0.1", "Port": {{_brokerPort}}, "ClientId": "em-soak" } ] },
                "Http": { "Url": "http://127.0.0.1:{{FreePort.Next()}}" },
                "Alerts": {
                  "Channels": [ { "Name": "hook", "Type": "webhook", "Url": "{{endpoint.Url("/hook")}}" } ],
                  "Routes": [ { "Channel": "hook", "MinimumSeverity": "info" } ],
                  "Overrides": { "{{silent.Id.Value}}": { "SilentAfterMinutes": 1 } } } } }
            """, Ct);
        _simulator = ChildProcess.EnergyMonitor(["modbus", "simulate", "--settings", settings], _dir);
        Assert.True(await _simulator.WaitForOutputAsync("simulating gateway gw-hospital", TimeSpan.FromSeconds(60), Ct), _simulator.Output);

        string[] run = ["run", "--settings", settings];
        var service = Owned(ChildProcess.EnergyMonitor(run, _dir));

        // Its session must exist before the first message, or the broker has nobody to keep it for.
        Assert.True(await service.WaitForOutputAsync("connected and subscribed", TimeSpan.FromSeconds(60), Ct), service.Output);

        // The publisher: one reading a second for each fed meter, stamped with its own second; a publish the broker
        // did not acknowledge (it was restarting) is sent again after reconnecting.
        // Whole seconds: InfluxDB keeps milliseconds, and the comparison at the end is exact.
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
        var published = new ConcurrentBag<(Meter Meter, Reading Reading)>();
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var publisher = Task.Run(() => PublishAsync(fed, silent, start, published, stopPublishing.Token), Ct);

        var rss = new List<(TimeSpan At, long Kb)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        async Task RunUntilAsync(double seconds)
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                rss.Add((clock.Elapsed, RssKb(service.Id)));
                await Task.Delay(1000, Ct);
            }
        }

        await RunUntilAsync(15);
        service.Signal("KILL");
        await service.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} killed the service (SIGKILL)");
        await service.DisposeAsync();
        await Task.Delay(3000, Ct);
        service = Owned(ChildProcess.EnergyMonitor(run, _dir));
        Assert.True(await service.WaitForOutputAsync("Serving site", TimeSpan.FromSeconds(60), Ct), service.Output);
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} restarted it");

        await RunUntilAsync(30);
        await _influx.StopAsync();
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} stopped influxd");
        await RunUntilAsync(60);
        await _influx.StartAsync();
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} started influxd again");

        await RunUntilAsync(65);

        // Restarted as an operator restarts it: SIGTERM, so that it saves its sessions and queued messages.
        _broker!.Signal("TERM");
        await _broker.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        await _broker.DisposeAsync();
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} stopped Mosquitto");
        await Task.Delay(3000, Ct);
        await StartBrokerAsync();
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} started Mosquitto again");

        // The silent meter has said nothing for over a minute: the pass raises its alert, which the failing
        // channel cannot take until it recovers.
        await RunUntilAsync(80);
        await using (var check = ChildProcess.EnergyMonitor(["alerts", "check", "--settings", settings], _dir))
        {
            Assert.True(await check.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, check.Output);
            _output.WriteLine($"{clock.Elapsed:mm\\:ss} alerts check: {check.Output.Split('\n').LastOrDefault()}");
        }

        await RunUntilAsync(90);
        _channelUp = true;
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} the channel answers 200 from now");
        await RunUntilAsync(100);
        await stopPublishing.CancelAsync();
        await publisher;
        _output.WriteLine($"{clock.Elapsed:mm\\:ss} published {published.Count} readings");

        // Everything published reaches InfluxDB: wait for the stream to drain (at most a minute).
        using var influx = new InfluxV1ReadingStore(new InfluxOptions { Url = _influx.Url, Database = database });
        var expected = published.GroupBy(p => p.Meter.Id).ToDictionary(g => g.Key, g => g.Select(p => p.Reading).OrderBy(r => r.Timestamp).ToList());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyDictionary<MeterId, long> counts;
        do
        {
            rss.Add((clock.Elapsed, RssKb(service.Id)));
            await Task.Delay(1000, Ct);
            counts = await influx.CountAsync(start.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1), Ct);
        }
        while (expected.Any(e => counts.GetValueOrDefault(e.Key) < e.Value.Count) && DateTime.UtcNow < deadline);

        foreach (var (meter, readings) in expected)
        {
            var stored = await influx.ReadAsync(meter, start.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1), Ct);
            var missing = readings.Select(r => r.Timestamp).Except(stored.Select(r => r.Timestamp)).ToList();
            var extra = stored.Select(r => r.Timestamp).Except(readings.Select(r => r.Timestamp)).ToList();
            if (missing.Count > 0)
            {
                await using var quarantine = ChildProcess.EnergyMonitor(["quarantine", "list", "--settings", settings], _dir);
                await quarantine.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);
                _output.WriteLine("quarantine: " + quarantine.Output);
                _output.WriteLine("service: " + string.Join('\n', service.Output.Split('\n').TakeLast(40)));
            }

            Assert.True(missing.Count == 0 && extra.Count == 0 && stored.Count == readings.Count,
                $"{meter}: published {readings.Count}, stored {stored.Count}; missing {string.Join(", ", missing.Take(5).Select(t => t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}; extra {string.Join(", ", extra.Take(5).Select(t => t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}");
            // The payload carries the meter's own unit to six decimals (MWh for a heat meter counting in GJ): equal to 1e-8.
            Assert.All(readings.Zip(stored), p => Assert.True(Math.Abs(p.First.Value - p.Second.Value) <= 1e-8 * Math.Max(1, Math.Abs(p.First.Value)), $"{p.First} stored as {p.Second.Value}"));
        }

        // Every notification owed was accepted exactly once, and only after the channel came back.
        var owed = await OwedNotificationsAsync();
        Assert.NotEmpty(owed);
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (owed.Any(id => !_deliveries.Any(d => d.Notification == id && d.Status == 200)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, Ct);
        }

        var accepted = _deliveries.Where(d => d.Status == 200).GroupBy(d => d.Notification).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(owed, id => Assert.Equal(1, accepted.GetValueOrDefault(id)));
        Assert.True(_deliveries.Any(d => d.Status == 503), "the channel never failed: the test did not test recovery");

        service.Signal("TERM");
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(70), Ct));
        await service.DisposeAsync();

        // The rollups the service's incremental passes leave equal a backfill from scratch.
        await using (var incremental = ChildProcess.EnergyMonitor(["rollup", "--settings", settings], _dir))
        {
            Assert.True(await incremental.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct) == 0, incremental.Output);
        }

        var before = await RollupsAsync();
        var day = TimeZoneInfo.ConvertTime(start, site.TimeZone).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using (var backfill = ChildProcess.EnergyMonitor(["rollup", "--settings", settings, "--from", day], _dir))
        {
            Assert.True(await backfill.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct) == 0, backfill.Output);
        }

        var after = await RollupsAsync();
        Assert.NotEmpty(before);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, p => Assert.Equal(p.Value, after[p.Key], 6));

        // Memory: the last half-minute's peak within 1.5 times the first steady half-minute's, after the restart.
        var steady = rss.Where(r => r.At.TotalSeconds is > 20 and < 40 && r.Kb > 0).Select(r => r.Kb).ToList();
        var late = rss.Where(r => r.At.TotalSeconds > clock.Elapsed.TotalSeconds - 30 && r.Kb > 0).Select(r => r.Kb).ToList();
        _output.WriteLine($"RSS: {steady.Min() / 1024} to {steady.Max() / 1024} MB at 0:20–0:40, {late.Min() / 1024} to {late.Max() / 1024} MB in the last 30 s; {_deliveries.Count} delivery attempts, {accepted.Count} accepted");
        Assert.True(late.Max() < steady.Max() * 1.5, $"RSS grew from {steady.Max() / 1024} MB to {late.Max() / 1024} MB");
    }

    private async Task PublishAsync(IReadOnlyList<Meter> meters, Meter silent, DateTimeOffset start, ConcurrentBag<(Meter, Reading)> published, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        async Task ConnectAsync()
        {
            while (!client.IsConnected)
            {
                try
                {
                    await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _brokerPort).WithClientId("soak-meters").Build(), Ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await Task.Delay(500, Ct);
                }
            }
        }

        // A reading once begun is sent to its PUBACK, whatever the stop says: a PUBLISH on the wire reaches the broker
        // and is stored whether or not this test waits for the acknowledgement, so a publish cut short by the stop
        // was stored yet not counted ("published 101, stored 102"). The service was right (at least once, then
        // deduplicated by timestamp); the test's count was wrong. The stop is looked at only between readings.
        async Task SendAsync(Meter meter, Reading reading)
        {
            var (topic, payload) = SimulatedMqttMeters.Message(meter, reading);
            while (true)
            {
                await ConnectAsync();
                try
                {
                    var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
                    if (result.IsSuccess)
                    {
                        published.Add((meter, reading));
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await Task.Delay(200, Ct);
                }
            }
        }

        try
        {
            // The silent meter says one thing at the start and then nothing.
            await SendAsync(silent, new Reading(silent.Id, start, 100, ReadingQuality.Good));
            for (var second = 1; !cancellationToken.IsCancellationRequested; second++)
            {
                var at = start.AddSeconds(second);
                var wait = at - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                foreach (var meter in meters)
                {
                    await SendAsync(meter, new Reading(meter.Id, at, 1000 + (second * 0.25), ReadingQuality.Good));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task<List<long>> OwedNotificationsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "db", "em.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM alert_notifications WHERE channel = 'hook'";
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private async Task<Dictionary<string, double>> RollupsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "db", "em.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT series, period, start_ms, amount FROM rollups";
        var rows = new Dictionary<string, double>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows[$"{reader.GetString(0)}|{reader.GetInt64(1)}|{reader.GetInt64(2)}"] = reader.GetDouble(3);
        }

        return rows;
    }
}
