using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>
/// Runs a poller for every gateway this instance holds (<see cref="HeldWork"/>), in parallel, for the life of the
/// service: alone it holds them all; beside other instances it starts a gateway's poller when its lease is won and
/// stops it when the lease is lost, so that each gateway is read by one instance.
/// </summary>
public sealed class PollingService(LoadedSite site, ISampleSink sink, PollerOptions options, HeldWork held, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<PollingService>();

    /// <summary>The leased work that names each line with polled meters.</summary>
    public static IReadOnlyList<string> Work(LoadedSite site) => [.. PollerFactory.PolledGateways(site).Select(LeasedWork.Gateway)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lines = PollerFactory.PolledGateways(site);
        _logger.LogInformation("Polling {Meters} meters through {Gateways} gateways{Shared}", site.Model.Meters.Count(m => m.Source is Core.Site.IPolledSource), lines.Count,
            held.Leased ? ", each while this instance holds its lease" : "");
        var running = new Dictionary<string, Running>(StringComparer.Ordinal);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var (items, changed) = held.Watch();
                foreach (var gateway in lines)
                {
                    var holds = items.Contains(LeasedWork.Gateway(gateway));
                    if (holds && !running.ContainsKey(gateway))
                    {
                        running[gateway] = Start(gateway, stoppingToken);
                    }
                    else if (!holds && running.Remove(gateway, out var lost))
                    {
                        _logger.LogInformation("Gateway {Gateway}: lease lost or given up; stopped polling it", gateway);
                        await lost.StopAsync().ConfigureAwait(false);
                    }
                }

                try
                {
                    await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            await Task.WhenAll(running.Values.Select(r => r.StopAsync())).ConfigureAwait(false);
        }
    }

    private Running Start(string gateway, CancellationToken stoppingToken)
    {
        var poller = PollerFactory.Create(site, sink, options, time, loggers, g => g == gateway).Single();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (held.Leased)
        {
            _logger.LogInformation("Gateway {Gateway}: lease won; polling {Meters} meters", gateway, poller.Devices.Count);
        }

        return new Running(poller, stop, Task.Run(() => poller.RunAsync(stop.Token), CancellationToken.None));
    }

    private sealed record Running(GatewayPoller Poller, CancellationTokenSource Stop, Task Task)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Stop.IsCancellationRequested)
            {
                // Stopped in the middle of a read: a lost lease must not end the service with it.
            }
            finally
            {
                await Poller.DisposeAsync().ConfigureAwait(false);
                Stop.Dispose();
            }
        }
    }
}
