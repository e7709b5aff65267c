using System.Globalization;
using System.Text;
using EnergyMonitor.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MQTTnet;

namespace EnergyMonitor.Integration.Tests.Mqtt;

/// <summary>The collector as a child process, killed with SIGKILL in the middle of an MQTT stream.</summary>
public sealed class MqttCrashTests : IAsyncLifetime
{
    private const int Messages = 10_000;
    private readonly MosquittoBroker _broker = new();
    private ChildProcess? _first;
    private readonly string _dir = Directory.CreateTempSubdirectory("em-mqtt-crash-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _broker.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        await _broker.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private long StoredReadings()
    {
        var db = Path.Combine(_dir, "em.db");
        if (!File.Exists(db))
        {
            return 0;
        }

        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM readings";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // the schema is not there yet
        }
    }

    [Fact]
    public async Task A_collector_killed_mid_stream_loses_none_of_10000_messages_and_stores_none_twice()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "site.yaml"),
            SiteFixture.Yaml("", "- { id: g1, name: g1, kind: natural-gas, mqtt: { topic: site/g1, field: $.total, timestamp: $.ts } }"), Ct);
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"), $$"""
            { "EnergyMonitor": { "SiteFile": "site.yaml",
                "Storage": { "Sqlite": { "Path": "em.db" } },
                "Mqtt": { "Brokers": [ { "Name": "test", "Host": "127.0.0.1", "Port": {{_broker.Port}}, "ClientId": "em-crash" } ] } } }
            """, Ct);
        string[] run = ["run", "--settings", Path.Combine(_dir, "appsettings.json")];

        var first = _first = ChildProcess.EnergyMonitor(run, _dir);
        Assert.True(await first.WaitForOutputAsync("connected and subscribed", TimeSpan.FromSeconds(60), Ct), first.Output);

        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithClientId("crash-publisher").Build(), Ct);
        var start = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i++)
            {
                var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"total": {{i}}, "ts": {{start + i}}}""");
                await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("site/g1").WithPayload(Encoding.UTF8.GetBytes(payload))
                    .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
            }
        }, Ct);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (StoredReadings() < 2000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        first.Signal("KILL");
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        await first.DisposeAsync();
        var atKill = StoredReadings();
        await publishing;

        await using var second = ChildProcess.EnergyMonitor(run, _dir);
        deadline = DateTime.UtcNow.AddSeconds(120);
        while (StoredReadings() < Messages && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        Assert.InRange(atKill, 2000, Messages - 1);
        Assert.Equal(Messages, StoredReadings());
        second.Signal("TERM");
        await second.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
