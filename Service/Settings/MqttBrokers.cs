using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Site;

namespace EnergyMonitor.Service.Settings;

/// <summary>The configured brokers as the MQTT ingestors and the alert channel take them: mappings parsed, secrets resolved.</summary>
public static class MqttBrokers
{
    /// <summary>The broker's options and mappings from settings, secrets resolved.</summary>
    /// <param name="index">The broker's place in <c>EnergyMonitor:Mqtt:Brokers</c>, for the paths in errors.</param>
    /// <param name="instanceId">
    /// This instance's id: in a shared group each instance keeps its own persistent session, so its client id is
    /// <c>ClientId-InstanceId</c> (two clients with one id would take each other's session over, in turns).
    /// </param>
    public static (MqttBrokerOptions Options, List<MqttMapping> Mappings) Resolve(MqttBrokerSettings broker, int index, string settingsFile, string instanceId)
    {
        var path = $"EnergyMonitor:Mqtt:Brokers[{index}]";
        var mappings = new List<MqttMapping>();
        var errors = new List<ConfigError>();
        for (var i = 0; i < broker.Mappings.Count; i++)
        {
            var m = broker.Mappings[i];
            if (!TopicPattern.TryParse(m.Topic, out var pattern, out var error))
            {
                errors.Add(new ConfigError(settingsFile, 0, 0, $"{path}:Mappings[{i}]:Topic", $"\"{m.Topic}\": {error}", "a topic pattern such as energy/{building}/{meter}/reading"));
            }

            UnitInfo? unit = null;
            if (m.Unit is { Length: > 0 } symbol && !UnitCatalog.TryParse(symbol, out unit))
            {
                errors.Add(new ConfigError(settingsFile, 0, 0, $"{path}:Mappings[{i}]:Unit", $"\"{symbol}\"", $"a unit symbol: {UnitCatalog.KnownSymbols}"));
            }

            if (pattern is not null)
            {
                mappings.Add(new MqttMapping(pattern, m.Meter, new PayloadSpec(m.Value, m.Timestamp, m.Items, m.ItemMeter), unit));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var options = new MqttBrokerOptions
        {
            Name = broker.Name,
            Host = broker.Host,
            Port = broker.Port,
            ClientId = broker.SharedGroup.Length == 0 ? broker.ClientId : $"{broker.ClientId}-{instanceId}",
            SharedGroup = broker.SharedGroup,
            SessionExpiry = TimeSpan.FromHours(broker.SessionExpiryHours),
            ReceiveMaximum = (ushort)broker.ReceiveMaximum,
            Username = broker.Username,
            Password = Secrets.Resolve(broker.PasswordEnv, broker.PasswordFile, $"{path}:Password", settingsFile) ?? "",
            UseTls = broker.UseTls,
            CaFile = broker.CaFile,
        };
        return (options, mappings);
    }

    /// <summary>Each configured broker with the mapper for its messages.</summary>
    public static IReadOnlyList<MqttSubscription> Brokers(ServiceSettings settings, SiteModel site, string settingsFile)
    {
        var limits = new PayloadLimits(settings.Mqtt.MaxPayloadBytes, settings.Mqtt.FutureSkew, settings.Mqtt.LateWindow);
        return settings.Mqtt.Brokers
            .Select((broker, index) => Resolve(broker, index, settingsFile, settings.Cluster.ResolvedInstanceId))
            .Select(r => new MqttSubscription(r.Options, new MessageMapper(site, r.Mappings, limits)))
            .ToList();
    }
}
