using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace EnergyMonitor.Collector.Mqtt;

/// <summary>How every client of ours reaches a configured broker: MQTT 5, its credentials, and TLS trusting the site's own CA when given.</summary>
public static class MqttConnection
{
    public static MqttClientOptionsBuilder Options(MqttBrokerOptions broker, string clientId)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (broker.Username.Length > 0)
        {
            builder = builder.WithCredentials(broker.Username, broker.Password);
        }

        if (broker.UseTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(broker.Host);
                if (broker.CaFile is { } ca)
                {
                    // A PEM bundle of one or more CA certificates: the site's own CA, not the machine's store.
                    var trust = new X509Certificate2Collection();
                    trust.ImportFromPemFile(ca);
                    tls.WithTrustChain(trust);
                }
            });
        }

        return builder;
    }
}
