using System.Text;
using EnergyMonitor.Collector.Mqtt;
using EnergyMonitor.Collector.Pipeline;
using EnergyMonitor.Core.Domain;
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

    private static Task PublishAsync(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

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

    [Fact]
    public async Task Plain_json_and_multi_meter_payloads_become_readings_in_canonical_units()
    {
        var (ingestor, store, _) = Ingestor();
        await using var _ = ingestor;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = ingestor.RunAsync(run.Token);
        await WaitUntilAsync(() => Task.FromResult(ingestor.IsReady), TimeSpan.FromSeconds(10));
        using var publisher = await PublisherAsync();
        var ts = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();

        await PublishAsync(publisher, "site/w1", "1500");
        await PublishAsync(publisher, "site/g1", $$"""{"total": 42.25, "ts": {{ts}}}""");
        await PublishAsync(publisher, "gw/hospital/batch", $$"""{"readings": [{"id": "h1", "v": 1.5, "t": {{ts}}}, {"id": "h2", "v": 2, "t": {{ts}}}]}""");
        await WaitUntilAsync(async () => await TotalAsync(store) == 4, TimeSpan.FromSeconds(10));
        await run.CancelAsync();
        await running;

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
        using (var run = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var running = first.RunAsync(run.Token);
            await WaitUntilAsync(() => Task.FromResult(first.IsReady), TimeSpan.FromSeconds(10));
            await run.CancelAsync();
            await running;
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
        using var again = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var resumed = second.RunAsync(again.Token);
        await WaitUntilAsync(async () => await TotalAsync(store) >= 1000, TimeSpan.FromSeconds(60));
        await again.CancelAsync();
        await resumed;

        Assert.Equal(1000, await TotalAsync(store));
    }

    [Fact]
    public async Task Bad_messages_are_quarantined_with_their_reason_and_ingestion_goes_on()
    {
        var (ingestor, store, quarantine) = Ingestor();
        await using var _ = ingestor;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = ingestor.RunAsync(run.Token);
        await WaitUntilAsync(() => Task.FromResult(ingestor.IsReady), TimeSpan.FromSeconds(10));
        using var publisher = await PublisherAsync();
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (string Topic, string Payload, QuarantineReason Reason)[] bad =
        [
            ("site/g1", "{\"total\": 1", QuarantineReason.MalformedJson),
            ("site/g1", "{\"sum\": 1}", QuarantineReason.MissingField),
            ("site/g1", "{\"total\": \"NaN\"}", QuarantineReason.NonFinite),
            ("site/g1", "{\"total\": \"lots\"}", QuarantineReason.NotANumber),
            ("site/w1", "twelve", QuarantineReason.NotANumber),
            ("site/g1", $$"""{"total": 1, "ts": {{ts + 3600}}}""", QuarantineReason.TimestampInFuture),
            ("site/g1", $$"""{"total": 1, "ts": {{ts - (30 * 86400)}}}""", QuarantineReason.TimestampTooOld),
            ("gw/x/batch", $$"""{"readings": [{"id": "nope", "v": 1, "t": {{ts}}}]}""", QuarantineReason.UnknownMeter),
            ("site/g1", "{\"pad\": \"" + new string('x', 70_000) + "\"}", QuarantineReason.TooLarge),
            ("site/w1", "5000", QuarantineReason.CounterBackwards),
        ];

        await PublishAsync(publisher, "site/w1", "9000");
        foreach (var (topic, payload, _) in bad)
        {
            await PublishAsync(publisher, topic, payload);
        }

        await PublishAsync(publisher, "site/w1", "9500");
        await WaitUntilAsync(async () => (await quarantine.ListAsync(Ct)).Count == bad.Length && await TotalAsync(store) == 2, TimeSpan.FromSeconds(15));
        await run.CancelAsync();
        await running;

        var kept = await quarantine.ListAsync(Ct);
        Assert.Equal(bad.Select(b => b.Reason.ToString()), kept.Select(k => k.Reason));
        Assert.Equal(bad.Select(b => b.Topic), kept.Select(k => k.Topic));
        Assert.Equal(2, await TotalAsync(store));
        Assert.Equal(bad.Length, ingestor.Quarantined.Values.Sum());
    }
}
