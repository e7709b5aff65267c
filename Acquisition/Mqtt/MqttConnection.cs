using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace EnergyMonitor.Acquisition.Mqtt;

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

    /// <summary>
    /// The options, with socket buffers of 256 KB. MQTTnet sets both buffers to its BufferSize (8 KB unless told),
    /// and on Linux a fixed receive buffer switches off the kernel's autotuning: the window stayed near 7 KB, and a
    /// subscriber that fell a little behind drained a 500 messages/s stream at 49 a second while the broker's
    /// backlog grew (bench/service.sh, docs/PERFORMANCE.md). The kernel caps the size at net.core.rmem_max.
    /// </summary>
    public static MqttClientOptions Build(MqttClientOptionsBuilder builder)
    {
        var options = builder.Build();
        if (options.ChannelOptions is MqttClientTcpOptions tcp)
        {
            tcp.BufferSize = 256 * 1024;
        }

        return options;
    }
}
