using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>Runs every gateway's poller in parallel for the life of the service.</summary>
public sealed class PollingService(LoadedSite site, ISampleSink sink, PollerOptions options, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pollers = PollerFactory.Create(site, sink, options, time, loggers);
        var logger = loggers.CreateLogger<PollingService>();
        logger.LogInformation("Polling {Meters} meters through {Gateways} gateways", pollers.Sum(p => p.Devices.Count), pollers.Count);
        try
        {
            await Task.WhenAll(pollers.Select(p => Task.Run(() => p.RunAsync(stoppingToken), stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var poller in pollers)
            {
                await poller.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
