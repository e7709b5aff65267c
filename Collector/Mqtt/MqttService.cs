using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Collector.Mqtt;

/// <summary>Runs one ingestor per configured broker for the life of the service.</summary>
public sealed class MqttService(ServiceSettings settings, LoadedSite site, ISampleSink sink, IQuarantine quarantine, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly List<MqttIngestor> _ingestors = [];

    /// <summary>The broker's options and mappings from settings, secrets resolved.</summary>
    /// <param name="index">The broker's place in <c>EnergyMonitor:Mqtt:Brokers</c>, for the paths in errors.</param>
    public static (MqttBrokerOptions Options, List<MqttMapping> Mappings) Resolve(MqttBrokerSettings broker, int index, string settingsFile)
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
            ClientId = broker.ClientId,
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
    public static IReadOnlyList<(MqttBrokerOptions Options, MessageMapper Mapper)> Brokers(ServiceSettings settings, SiteModel site, string settingsFile)
    {
        var limits = new PayloadLimits(settings.Mqtt.MaxPayloadBytes, settings.Mqtt.FutureSkew, settings.Mqtt.LateWindow);
        return settings.Mqtt.Brokers
            .Select((broker, index) => Resolve(broker, index, settingsFile))
            .Select(r => (r.Options, new MessageMapper(site, r.Mappings, limits)))
            .ToList();
    }

    /// <summary>The ingestors, one per broker; the health check reads their state.</summary>
    public IReadOnlyList<MqttIngestor> Ingestors => _ingestors;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ingestors = _ingestors;
        foreach (var (options, mapper) in Brokers(settings, site.Model, "appsettings.json"))
        {
            ingestors.Add(new MqttIngestor(options, mapper, sink, quarantine, time, loggers.CreateLogger($"EnergyMonitor.Mqtt.{options.Name}")));
        }

        try
        {
            await Task.WhenAll(ingestors.Select(i => i.RunAsync(stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var ingestor in ingestors)
            {
                await ingestor.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
