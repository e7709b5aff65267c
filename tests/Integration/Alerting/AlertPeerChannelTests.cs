using System.Text.Json;
using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Notifications;
using MailKit.Security;
using MQTTnet;

namespace EnergyMonitor.Integration.Tests.Alerting;

/// <summary>The MQTT channel against real Mosquitto, and the e-mail channel against Debian's aiosmtpd with STARTTLS and authentication.</summary>
public sealed class AlertPeerChannelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 3, 7, 0, 0, TimeSpan.FromHours(8));
    private readonly MosquittoBroker _broker = new();
    private readonly string _mail = Directory.CreateTempSubdirectory("em-smtp-").FullName;
    private ChildProcess? _smtp;
    private int _smtpPort;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Notification Note(long id = 7) =>
        new(id, id, "c", NotificationKind.Raised, T0, 0, new Alert(id,
            new Finding("night-leak", "w1", AlertSeverity.Critical, "w1", "b1", "inst", T0.AddDays(-2), [new Evidence(new LocalizedText("夜间最小流量（最低）", "lowest night flow"), 0.21, "m3/h", "≤ 0.01")],
                new LocalizedText("主楼总水表疑似漏水", "Possible leak"), new LocalizedText("请检查卫生间水箱和阀门。", "Check cisterns and valves.")),
            AlertState.Open, T0, T0, null, null, null));

    public async ValueTask InitializeAsync()
    {
        await _broker.InitializeAsync();
        var script = $"""
            set -e
            cd '{_mail}'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout smtp.key -out smtp.pem -days 1 -subj '/CN=127.0.0.1' -addext 'subjectAltName=IP:127.0.0.1' 2>/dev/null
            mkdir out
            """;
        await using (var setup = ChildProcess.Start("bash", ["-c", script]))
        {
            Assert.True(await setup.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, setup.Output);
        }

        _smtpPort = FreePort.Next();
        var peer = Path.Combine(AppContext.BaseDirectory, "Peers", "smtp_sink.py");
        _smtp = ChildProcess.Start("/usr/bin/python3", [peer, _smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(_mail, "out"), Path.Combine(_mail, "smtp.pem"), Path.Combine(_mail, "smtp.key")]);
        Assert.True(await _smtp.WaitForOutputAsync("ready", TimeSpan.FromSeconds(20), Ct), "aiosmtpd did not start: " + _smtp.Output);
    }

    [Fact]
    public async Task The_MQTT_channel_publishes_each_alert_as_the_documented_JSON_at_QoS_1()
    {
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithClientId("bms").Build(), Ct);
        await subscriber.SubscribeAsync("bms/alerts", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        await using var channel = new MqttAlertChannel("bms", MqttConnection.Build(MqttConnection.Options(new MqttBrokerOptions { Name = "local", Host = "127.0.0.1", Port = _broker.Port, ClientId = "energymonitor" }, "energymonitor-alerts")), "bms/alerts", 600);

        var result = await channel.SendAsync([Note()], Ct);

        Assert.True(result.Delivered, result.Detail);
        using var json = JsonDocument.Parse(await received.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(7, json.RootElement.GetProperty("alert").GetInt64());
        Assert.Equal("critical", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal("主楼总水表疑似漏水", json.RootElement.GetProperty("summary").GetProperty("zh").GetString());
    }

    [Fact]
    public async Task The_MQTT_channel_reports_a_broker_it_cannot_reach_and_delivers_once_it_can()
    {
        await using var channel = new MqttAlertChannel("bms", MqttConnection.Build(MqttConnection.Options(new MqttBrokerOptions { Name = "gone", Host = "127.0.0.1", Port = FreePort.Next(), ClientId = "energymonitor" }, "energymonitor-alerts")), "bms/alerts", 600);

        var result = await channel.SendAsync([Note()], Ct);

        Assert.False(result.Delivered);
        Assert.Equal("unreachable", result.ErrorCode);
    }

    [Fact]
    public async Task The_email_channel_sends_over_STARTTLS_with_authentication_and_the_mail_reads_in_Chinese()
    {
        var text = new AlertText(SiteFixture.Load("", "- { id: w1, name: 主楼总水表, kind: water, mqtt: { topic: t/w1 } }").Model, Core.Domain.Language.Chinese);
        var options = new SmtpOptions("127.0.0.1", _smtpPort, SecureSocketOptions.StartTls, "em", "s3cret-pw", "energymonitor@example.org", ["duty@example.org"], Path.Combine(_mail, "smtp.pem"));
        await using var channel = new EmailChannel("duty", options, 60, text);
        await using var untrusted = new EmailChannel("duty", options with { TrustedCertificateFile = null }, 60, text);

        var sent = await channel.SendAsync([Note()], Ct);
        var notTrusted = await untrusted.SendAsync([Note()], Ct);

        Assert.True(sent.Delivered, sent.Detail);
        Assert.False(notTrusted.Delivered); // a self-signed server is not trusted unless configured
        Assert.Equal("unreachable", notTrusted.ErrorCode);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_mail, "out"), "*.eml"));
        using var message = await MimeKit.MimeMessage.LoadAsync(file, Ct);
        Assert.Equal("【严重】主楼总水表疑似漏水", message.Subject);
        Assert.Contains("夜间最小流量（最低）：0.21 m3/h（正常 ≤ 0.01）", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("请检查卫生间水箱和阀门。", message.TextBody, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        await _broker.DisposeAsync();
        Directory.Delete(_mail, recursive: true);
    }
}
