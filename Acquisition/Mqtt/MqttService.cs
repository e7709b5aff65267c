using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>A broker to subscribe to, and the mapper for its messages.</summary>
public sealed record MqttSubscription(MqttBrokerOptions Options, MessageMapper Mapper);

/// <summary>Runs one ingestor per configured broker for the life of the service.</summary>
public sealed class MqttService(IReadOnlyList<MqttSubscription> brokers, ISampleSink sink, IQuarantine quarantine, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly List<MqttIngestor> _ingestors = [];

    /// <summary>The ingestors, one per broker; the health check reads their state.</summary>
    public IReadOnlyList<MqttIngestor> Ingestors => _ingestors;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ingestors = _ingestors;
        foreach (var (options, mapper) in brokers)
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
