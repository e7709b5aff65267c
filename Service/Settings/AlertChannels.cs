using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Notifications;
using EnergyMonitor.Site;
using MailKit.Security;

namespace EnergyMonitor.Service.Settings;

/// <summary>Builds the configured channels, secrets resolved; a channel that cannot be built is a config error naming its field.</summary>
public static class AlertChannels
{
    /// <summary>The name of the HTTP client the channels send with (registered by the host's composition root).</summary>
    public const string HttpClientName = "alert-channels";

    /// <summary>A robot or webhook that has not answered in 15 s is failed and retried later, so one slow peer cannot hold the queue.</summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(15);

    public static IReadOnlyList<IAlertChannel> Build(ServiceSettings settings, SiteModel site, string settingsFile, HttpClient http, TimeProvider time)
    {
        var text = new AlertText(site, Language.Parse(settings.Alerts.Language));
        var channels = new List<IAlertChannel>();
        for (var i = 0; i < settings.Alerts.Channels.Count; i++)
        {
            var c = settings.Alerts.Channels[i];
            var path = $"EnergyMonitor:Alerts:Channels[{i}]";
            string Url() => Secrets.Resolve(c.UrlEnv, c.UrlFile, $"{path}:Url", settingsFile) ?? c.Url
                ?? throw new ConfigException([new ConfigError(settingsFile, 0, 0, $"{path}:Url", "nothing", "an http(s) URL")]);
            var secret = Secrets.Resolve(c.SecretEnv, c.SecretFile, $"{path}:Secret", settingsFile);
            channels.Add(c.Type switch
            {
                "webhook" => new WebhookChannel(c.Name, new Uri(Url()), secret, c.PerMinute, http, time),
                "wecom" => new WeComChannel(c.Name, new Uri(Url()), c.PerMinute, http, text),
                "dingtalk" => new DingTalkChannel(c.Name, new Uri(Url()), secret, c.PerMinute, http, text, time),
                "mqtt" => new MqttAlertChannel(c.Name, Broker(settings, c, path, settingsFile), c.Topic!, c.PerMinute),
                "email" => new EmailChannel(c.Name, new SmtpOptions(c.SmtpHost!, c.SmtpPort, Security(c.SmtpSecurity), c.Username,
                    Secrets.Resolve(c.PasswordEnv, c.PasswordFile, $"{path}:Password", settingsFile), c.From!, c.To, c.SmtpTrustedCertificateFile), c.PerMinute, text),
                _ => throw new ConfigException([new ConfigError(settingsFile, 0, 0, $"{path}:Type", c.Type, "webhook, wecom, dingtalk, mqtt or email")]),
            });
        }

        return channels;
    }

    private static MQTTnet.MqttClientOptions Broker(ServiceSettings settings, AlertChannelSettings channel, string path, string settingsFile)
    {
        var index = settings.Mqtt.Brokers.FindIndex(b => b.Name == channel.Broker);
        if (index < 0)
        {
            throw new ConfigException([new ConfigError(settingsFile, 0, 0, $"{path}:Broker", $"\"{channel.Broker}\"",
                $"the name of a broker in EnergyMonitor:Mqtt:Brokers ({string.Join(", ", settings.Mqtt.Brokers.Select(b => b.Name))})")]);
        }

        var broker = MqttBrokers.Resolve(settings.Mqtt.Brokers[index], index, settingsFile, settings.Cluster.ResolvedInstanceId).Options;
        return MqttConnection.Build(MqttConnection.Options(broker, broker.ClientId + "-alerts").WithCleanStart(true));
    }

    private static SecureSocketOptions Security(string text) => text switch
    {
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        "None" => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };
}
