namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>One broker the collector subscribes to.</summary>
public sealed record MqttBrokerOptions
{
    public string Name { get; init; } = "broker";

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    /// <summary>Stable across restarts: the broker keeps the persistent session under this id.</summary>
    public string ClientId { get; init; } = "energymonitor";

    /// <summary>
    /// The MQTT 5 shared-subscription group the filters are subscribed in (<c>$share/GROUP/filter</c>), so that
    /// instances split the stream; empty for plain subscriptions.
    /// </summary>
    public string SharedGroup { get; init; } = "";

    /// <summary>How long the broker keeps the session (and queues QoS 1 messages) while the collector is away.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(7);

    public string Username { get; init; } = "";

    /// <summary>Resolved from PasswordEnv/PasswordFile by the host; never configured in a file.</summary>
    public string Password { get; init; } = "";

    public bool UseTls { get; init; }

    /// <summary>PEM file of the CA that signed the broker's certificate.</summary>
    public string? CaFile { get; init; }

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many unacknowledged QoS 1 messages the broker may send ahead (MQTT 5 Receive Maximum). Messages are
    /// stored and acknowledged in batches, so this is also the largest batch; Mosquitto additionally caps it
    /// with <c>max_inflight_messages</c> (default 20).
    /// </summary>
    public ushort ReceiveMaximum { get; init; } = 10000;
}
