using System.Text;
using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;
using MQTTnet;

namespace EnergyMonitor.Integration.Tests.Mqtt;

/// <summary>The MQTT side against a real Mosquitto broker on loopback, readings into the embedded store.</summary>
public sealed class MqttIngestorTests : IAsyncLifetime
{
    private readonly MosquittoBroker _broker = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("em-mqtt-it-").FullName;
    private SqliteDatabase? _database;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Meters = """
        - { id: w1, name: w1, kind: water, unit: L, mqtt: { topic: site/w1 } }
        - { id: g1, name: g1, kind: natural-gas, mqtt: { topic: site/g1, field: $.total, timestamp: $.ts } }
        - { id: h1, name: h1, kind: heat }
        - { id: h2, name: h2, kind: heat }
        """;

    public async ValueTask InitializeAsync()
    {
        await _broker.InitializeAsync();
        _database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(_dir, "em.db") }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private (MqttIngestor Ingestor, SqliteReadingStore Store, QuarantineStore Quarantine) Ingestor(string clientId = "em-test")
    {
        var site = SiteFixture.Load("", Meters).Model;
        Assert.True(TopicPattern.TryParse("gw/{gateway}/batch", out var pattern, out _));
        var mapper = new MessageMapper(site, [new MqttMapping(pattern!, "{meter}", new PayloadSpec("v", "t", "$.readings", "id"), UnitCatalog.Mwh)], PayloadLimits.Default);
        var store = new SqliteReadingStore(_database!);
        var quarantine = new QuarantineStore(_database!);
        var sink = new StoreSampleSink(new SampleNormalizer(site), store);
        var options = new MqttBrokerOptions { Host = "127.0.0.1", Port = _broker.Port, ClientId = clientId };
        return (new MqttIngestor(options, mapper, sink, quarantine, TimeProvider.System, new ListLogger()), store, quarantine);
    }

    private async Task<IMqttClient> PublisherAsync()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithClientId("publisher-" + Guid.NewGuid().ToString("N")[..6]).Build(), Ct);
        return client;
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload) => PublishAsync(client, topic, Encoding.UTF8.GetBytes(payload));

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<long> TotalAsync(SqliteReadingStore store) =>
        (await store.CountAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), Ct)).Values.Sum();

    /// <summary>An ingestor running from the moment it is subscribed until stopped (or disposed).</summary>
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        private Task _run = Task.CompletedTask;

        public static async Task<Running> StartAsync(MqttIngestor ingestor)
        {
            var running = new Running();
            running._run = ingestor.RunAsync(running._stop.Token);
            await WaitUntilAsync(() => Task.FromResult(ingestor.IsReady), TimeSpan.FromSeconds(10));
            return running;
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _run;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task Plain_json_and_multi_meter_payloads_become_readings_in_canonical_units()
    {
        var (ingestor, store, _) = Ingestor();
        await using var _ = ingestor;
        await using var running = await Running.StartAsync(ingestor);
        using var publisher = await PublisherAsync();
        var ts = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();

        await PublishAsync(publisher, "site/w1", "1500");
        await PublishAsync(publisher, "site/g1", $$"""{"total": 42.25, "ts": {{ts}}}""");
        await PublishAsync(publisher, "gw/hospital/batch", $$"""{"readings": [{"id": "h1", "v": 1.5, "t": {{ts}}}, {"id": "h2", "v": 2, "t": {{ts}}}]}""");
        await WaitUntilAsync(async () => await TotalAsync(store) == 4, TimeSpan.FromSeconds(10));
        await running.StopAsync();

        var now = DateTimeOffset.UtcNow.AddMinutes(1);
        var water = Assert.Single(await store.ReadAsync(new MeterId("w1"), DateTimeOffset.UnixEpoch, now, Ct));
        var gas = Assert.Single(await store.ReadAsync(new MeterId("g1"), DateTimeOffset.UnixEpoch, now, Ct));
        var heat = Assert.Single(await store.ReadAsync(new MeterId("h1"), DateTimeOffset.UnixEpoch, now, Ct));
        Assert.Equal((1.5, ReadingQuality.ArrivalTime), (water.Value, water.Quality)); // 1500 L = 1.5 m³, no device time
        Assert.Equal((42.25, ReadingQuality.Good, ts), (gas.Value, gas.Quality, gas.Timestamp.ToUnixTimeSeconds()));
        Assert.Equal(5.4, heat.Value, 9); // 1.5 MWh = 5.4 GJ
    }

    [Fact]
    public async Task Messages_published_while_the_collector_is_away_arrive_when_it_returns()
    {
        var (first, store, _) = Ingestor("em-persistent");
        await using (var running = await Running.StartAsync(first))
        {
            await running.StopAsync();
            await first.DisposeAsync();
        }

        using var publisher = await PublisherAsync();
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        for (var i = 0; i < 1000; i++)
        {
            await PublishAsync(publisher, "site/g1", $$"""{"total": {{i}}, "ts": {{start + i}}}""");
        }

        var (second, _, _) = Ingestor("em-persistent");
        await using var _ = second;
        await using var resumed = await Running.StartAsync(second);
        await WaitUntilAsync(async () => await TotalAsync(store) >= 1000, TimeSpan.FromSeconds(60));
        await resumed.StopAsync();

        Assert.Equal(1000, await TotalAsync(store));
    }

    /// <summary>
    /// A corpus of bad messages, one per line: what it is and the reason it must be kept under. Each goes
    /// through the broker, between good readings, which must all arrive.
    /// </summary>
    private static (string Topic, byte[] Payload, QuarantineReason Reason)[] BadCorpus(long ts)
    {
        static byte[] U(string s) => Encoding.UTF8.GetBytes(s);
        return
        [
            ("site/g1", U("{\"total\": 1"), QuarantineReason.MalformedJson),                          // unterminated object
            ("site/g1", U("{\"total\": 1,}"), QuarantineReason.MalformedJson),                        // trailing comma
            ("site/g1", U("total=1"), QuarantineReason.MalformedJson),                                 // not JSON at all
            ("site/g1", U(""), QuarantineReason.MalformedJson),                                        // empty payload
            ("site/g1", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], QuarantineReason.MalformedJson), // invalid UTF-8
            ("site/g1", U("{'total': 1}"), QuarantineReason.MalformedJson),                            // single quotes
            ("site/g1", U("{\"sum\": 1}"), QuarantineReason.MissingField),                            // field misspelt
            ("site/g1", U("{\"total\": null}"), QuarantineReason.MissingField),                       // null value
            ("site/g1", U("[1, 2, 3]"), QuarantineReason.MissingField),                                // an array, no field
            ("gw/a/batch", U("{\"data\": []}"), QuarantineReason.MissingField),                       // no readings array
            ("gw/a/batch", U($$"""{"readings": [{"id": "h1", "t": {{ts}}}]}"""), QuarantineReason.MissingField), // item without a value
            ("gw/a/batch", U($$"""{"readings": [{"v": 1, "t": {{ts}}}]}"""), QuarantineReason.MissingField), // item without a meter
            ("site/g1", U("{\"total\": \"NaN\"}"), QuarantineReason.NonFinite),
            ("site/g1", U("{\"total\": \"Infinity\"}"), QuarantineReason.NonFinite),
            ("site/g1", U("{\"total\": \"-Infinity\"}"), QuarantineReason.NonFinite),
            ("site/g1", U("{\"total\": 1e400}"), QuarantineReason.NonFinite),                         // beyond double
            ("site/w1", U("NaN"), QuarantineReason.NonFinite),
            ("site/w1", U("-1e999"), QuarantineReason.NonFinite),
            ("site/g1", U("{\"total\": \"lots\"}"), QuarantineReason.NotANumber),
            ("site/g1", U("{\"total\": true}"), QuarantineReason.NotANumber),
            ("site/g1", U("{\"total\": {\"m3\": 1}}"), QuarantineReason.NotANumber),
            ("site/g1", U("{\"total\": [1]}"), QuarantineReason.NotANumber),
            ("site/w1", U("twelve"), QuarantineReason.NotANumber),
            ("site/w1", U("12,5"), QuarantineReason.NotANumber),                                       // decimal comma
            ("site/g1", U("{\"total\": 1, \"ts\": \"yesterday\"}"), QuarantineReason.BadTimestamp),
            ("site/g1", U("{\"total\": 1, \"ts\": \"2026-11-27 10:00:00\"}"), QuarantineReason.BadTimestamp), // no offset: ambiguous
            ("site/g1", U("{\"total\": 1, \"ts\": true}"), QuarantineReason.BadTimestamp),
            ("site/g1", U("{\"total\": 1, \"ts\": 1e18}"), QuarantineReason.BadTimestamp),           // after the year 9999
            ("site/g1", U($$"""{"total": 1, "ts": {{ts + 3600}}}"""), QuarantineReason.TimestampInFuture),
            ("site/g1", U($$"""{"total": 1, "ts": {{(ts + 86400) * 1000}}}"""), QuarantineReason.TimestampInFuture), // epoch ms
            ("site/g1", U($$"""{"total": 1, "ts": {{ts - (30 * 86400)}}}"""), QuarantineReason.TimestampTooOld),
            ("site/g1", U("{\"total\": 1, \"ts\": \"2020-01-01T00:00:00+08:00\"}"), QuarantineReason.TimestampTooOld),
            ("gw/x/batch", U($$"""{"readings": [{"id": "nope", "v": 1, "t": {{ts}}}]}"""), QuarantineReason.UnknownMeter),
            ("gw/x/batch", U($$"""{"readings": [{"id": "h1", "v": 1, "t": {{ts}}}, {"id": "h9", "v": 1, "t": {{ts}}}]}"""), QuarantineReason.UnknownMeter),
            ("site/g1", U("{\"pad\": \"" + new string('x', 70_000) + "\"}"), QuarantineReason.TooLarge),
            ("legacy/boiler/7", U("12.5"), QuarantineReason.UnmatchedTopic),                           // a filter left in the session
        ];
    }

    [Fact]
    public async Task A_corpus_of_bad_messages_is_quarantined_each_with_its_reason_and_ingestion_goes_on()
    {
        // A session whose subscriptions outlive a config change: the broker keeps delivering legacy/# to it.
        using (var stale = new MqttClientFactory().CreateMqttClient())
        {
            await stale.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithClientId("em-test")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanStart(false).WithSessionExpiryInterval(3600).Build(), Ct);
            await stale.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("legacy/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
            await stale.DisconnectAsync(cancellationToken: Ct);
        }

        var (ingestor, store, quarantine) = Ingestor();
        await using var _ = ingestor;
        await using var running = await Running.StartAsync(ingestor);
        using var publisher = await PublisherAsync();
        var bad = BadCorpus(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.True(bad.Length >= 30);
        Assert.Equal(Enum.GetValues<QuarantineReason>().Length - 2, bad.Select(b => b.Reason).Distinct().Count()); // all but MapperFault and the retired CounterBackwards

        await PublishAsync(publisher, "site/w1", "9000");
        await WaitUntilAsync(async () => await TotalAsync(store) == 1, TimeSpan.FromSeconds(10));
        foreach (var (topic, payload, _) in bad)
        {
            await PublishAsync(publisher, topic, payload);
        }

        // A counter that falls is what the meter said: stored, for the consumption calculator to judge. A negative one
        // no register can show: stored too, but flagged out of range, never as good. Each waits for the one before, so
        // that two plain-number payloads never share an arrival millisecond (their timestamp).
        await PublishAsync(publisher, "site/w1", "5000");
        await WaitUntilAsync(async () => await TotalAsync(store) == 2, TimeSpan.FromSeconds(15));
        await PublishAsync(publisher, "site/g1", "{\"total\": -3.0}");
        await PublishAsync(publisher, "site/w1", "9500");
        await WaitUntilAsync(async () => (await quarantine.ListAsync(Ct)).Count == bad.Length && await TotalAsync(store) == 4, TimeSpan.FromSeconds(15));

        // Still ingesting after all of them.
        await PublishAsync(publisher, "site/g1", "{\"total\": 42}");
        await WaitUntilAsync(async () => await TotalAsync(store) == 5, TimeSpan.FromSeconds(10));
        await running.StopAsync();

        var now = DateTimeOffset.UtcNow.AddMinutes(1);
        var water = await store.ReadAsync(new MeterId("w1"), DateTimeOffset.UnixEpoch, now, Ct);
        Assert.Equal([9, 5, 9.5], water.Select(r => r.Value));
        Assert.All(water, r => Assert.False(r.Quality.HasFlag(ReadingQuality.OutOfRange)));
        var gas = await store.ReadAsync(new MeterId("g1"), DateTimeOffset.UnixEpoch, now, Ct);
        Assert.Equal([(-3.0, true), (42.0, false)], gas.Select(r => (r.Value, r.Quality.HasFlag(ReadingQuality.OutOfRange))));

        var kept = await quarantine.ListAsync(Ct);
        Assert.Equal(bad.Select(b => $"{b.Topic} {b.Reason}"), kept.Select(k => $"{k.Topic} {k.Reason}"));
        Assert.All(kept.Zip(bad), p => Assert.Equal(p.Second.Payload, p.First.Payload));
        Assert.All(kept, k => Assert.False(string.IsNullOrWhiteSpace(k.Detail)));
        Assert.Equal(bad.Length, ingestor.Quarantined.Values.Sum());
        Assert.Equal(bad.Length + 5, ingestor.Messages);
    }

    [Fact]
    public async Task Replay_after_adding_the_missing_meter_stores_its_messages_and_keeps_the_rest()
    {
        var (ingestor, store, quarantine) = Ingestor();
        await using var _ = ingestor;
        await using var running = await Running.StartAsync(ingestor);
        using var publisher = await PublisherAsync();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await PublishAsync(publisher, "gw/x/batch", $$"""{"readings": [{"id": "h3", "v": 1.5, "t": {{ts - 60}}}, {"id": "h1", "v": 2, "t": {{ts - 60}}}]}""");
        await PublishAsync(publisher, "gw/x/batch", $$"""{"readings": [{"id": "h3", "v": 1.6, "t": {{ts}}}]}""");
        await PublishAsync(publisher, "site/g1", "{\"total\": \"lots\"}");
        await WaitUntilAsync(async () => (await quarantine.ListAsync(Ct)).Count == 3, TimeSpan.FromSeconds(10));
        await running.StopAsync();
        Assert.Equal(0, await TotalAsync(store));

        // The operator adds meter h3 to the site file and replays.
        var fixedSite = SiteFixture.Load("", Meters + "\n- { id: h3, name: h3, kind: heat }").Model;
        Assert.True(TopicPattern.TryParse("gw/{gateway}/batch", out var pattern, out var parseError), parseError);
        var mapper = new MessageMapper(fixedSite, [new MqttMapping(pattern!, "{meter}", new PayloadSpec("v", "t", "$.readings", "id"), UnitCatalog.Mwh)], PayloadLimits.Default);
        var replay = new QuarantineReplay(new Dictionary<string, MessageMapper> { ["broker"] = mapper }, new StoreSampleSink(new SampleNormalizer(fixedSite), store), quarantine);
        var outcome = await replay.ReplayAsync(await quarantine.ListAsync(Ct), Ct);

        Assert.Equal(2, outcome.Replayed);
        Assert.Equal(3, outcome.Readings); // h3, h1 from the first message; h3 from the second
        Assert.Equal(1, outcome.StillFailing[QuarantineReason.NotANumber]);
        var left = Assert.Single(await quarantine.ListAsync(Ct));
        Assert.Equal("site/g1", left.Topic);
        Assert.Equal(3, await TotalAsync(store));

        // Replaying again changes nothing.
        var again = await replay.ReplayAsync(await quarantine.ListAsync(Ct), Ct);
        Assert.Equal(0, again.Replayed);
        Assert.Equal(3, await TotalAsync(store));
    }

    [Fact]
    public async Task A_subscribed_broker_is_healthy_and_an_unreachable_one_is_unhealthy_with_its_error()
    {
        var site = SiteFixture.Load("", Meters).Model;
        var sink = new StoreSampleSink(new SampleNormalizer(site), new SqliteReadingStore(_database!));
        MqttIngestor Make(string name, int port) => new(new MqttBrokerOptions { Name = name, Host = "127.0.0.1", Port = port, ClientId = name },
            new MessageMapper(site, [], PayloadLimits.Default), sink, new QuarantineStore(_database!), TimeProvider.System, new ListLogger());
        await using var good = Make("good", _broker.Port);
        await using var dead = Make("dead", FreePort.Next());
        await using var running = await Running.StartAsync(good);
        using var stopDead = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var deadRun = dead.RunAsync(stopDead.Token);
        await WaitUntilAsync(() => Task.FromResult(dead.LastError is not null), TimeSpan.FromSeconds(10));

        var both = EnergyMonitor.Service.Hosting.Health.MqttHealthCheck.Evaluate([good, dead]);
        var alone = EnergyMonitor.Service.Hosting.Health.MqttHealthCheck.Evaluate([good]);
        await stopDead.CancelAsync();
        await deadRun;
        await running.StopAsync();

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, alone.Status);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, both.Status);
        Assert.StartsWith("dead (127.0.0.1:", both.Description);
        Assert.DoesNotContain("good", both.Description);
        Assert.Equal("subscribed", ((IDictionary<string, object?>)both.Data["good"])["state"]);
        Assert.Equal("disconnected", ((IDictionary<string, object?>)both.Data["dead"])["state"]);
    }
}
