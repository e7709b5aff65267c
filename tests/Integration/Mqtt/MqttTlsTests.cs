using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Integration.Tests.Infrastructure;

namespace EnergyMonitor.Integration.Tests.Mqtt;

/// <summary>TLS and password authentication against Mosquitto, with a CA and certificate made by openssl in the test.</summary>
public sealed class MqttTlsTests : IAsyncLifetime
{
    private readonly MosquittoBroker _broker = new("""
        cafile CERTS/ca.pem
        certfile CERTS/server.pem
        keyfile CERTS/server.key
        password_file CERTS/passwd
        allow_anonymous false
        """);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var dir = _broker.Directory;
        var script = $"""
            set -e
            cd '{dir}'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj '/CN=EnergyMonitor test CA' 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1\n' > san.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile san.ext 2>/dev/null
            mosquitto_passwd -b -c passwd em 's3cret-pw'
            """;
        await using (var setup = ChildProcess.Start("bash", ["-c", script]))
        {
            Assert.True(await setup.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, setup.Output);
        }

        await _broker.InitializeAsync();
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return _broker.DisposeAsync();
    }

    /// <summary>Runs an ingestor until it is subscribed or, when a refusal is expected, until it has said why.</summary>
    private async Task<(bool Connected, ListLogger Log)> ConnectAsync(string password, string? caFile, bool expectRefusal)
    {
        var site = SiteFixture.Load("", "- { id: g1, name: g1, kind: natural-gas, mqtt: { topic: site/g1 } }").Model;
        var log = new ListLogger();
        var options = new MqttBrokerOptions
        {
            Name = "county-broker",
            Host = "127.0.0.1",
            Port = _broker.Port,
            ClientId = "em-tls-" + Guid.NewGuid().ToString("N")[..6],
            Username = "em",
            Password = password,
            UseTls = true,
            CaFile = caFile,
        };
        var database = await EnergyMonitor.Storage.Embedded.SqliteDatabase.OpenAsync(
            new EnergyMonitor.Storage.Embedded.SqliteOptions { Path = Path.Combine(_broker.Directory, options.ClientId + ".db") }, Ct);
        await using var ingestor = new MqttIngestor(options, new MessageMapper(site, [], PayloadLimits.Default), new CapturingSink(),
            new EnergyMonitor.Storage.Embedded.QuarantineStore(database), TimeProvider.System, log);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = ingestor.RunAsync(run.Token);
        var deadline = DateTime.UtcNow.AddSeconds(8);
        while (!ingestor.IsReady && DateTime.UtcNow < deadline && !(expectRefusal && log.Messages.Any(m => m.StartsWith("Warning", StringComparison.Ordinal))))
        {
            await Task.Delay(50, Ct);
        }

        var connected = ingestor.IsReady;
        await run.CancelAsync();
        await running;
        return (connected, log);
    }

    [Fact]
    public async Task The_right_password_over_tls_with_the_site_ca_connects()
    {
        var (connected, log) = await ConnectAsync("s3cret-pw", Path.Combine(_broker.Directory, "ca.pem"), expectRefusal: false);

        Assert.True(connected, string.Join('\n', log.Messages));
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_error_naming_the_broker()
    {
        var (connected, log) = await ConnectAsync("wrong", Path.Combine(_broker.Directory, "ca.pem"), expectRefusal: true);

        Assert.False(connected);
        Assert.True(log.Messages.Any(m => m.Contains("county-broker at 127.0.0.1", StringComparison.Ordinal)
            && (m.Contains("BadUserNameOrPassword", StringComparison.Ordinal) || m.Contains("NotAuthorized", StringComparison.Ordinal))), string.Join('\n', log.Messages));
    }

    [Fact]
    public async Task A_broker_certificate_from_an_untrusted_ca_is_refused_naming_the_broker()
    {
        var (connected, log) = await ConnectAsync("s3cret-pw", caFile: null, expectRefusal: true);

        Assert.False(connected);
        Assert.Contains(log.Messages, m => m.Contains("county-broker at 127.0.0.1", StringComparison.Ordinal));
    }
}
