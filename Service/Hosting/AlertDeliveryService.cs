using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Notifications;
using EnergyMonitor.Service.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// Runs the alert dispatcher over the configured channels while this instance holds the alert-delivery lease: alone,
/// for the life of the service; beside other instances, one of them at a time, so that each notification goes out once.
/// </summary>
internal sealed class AlertDeliveryService(ServiceSettings settings, SiteModel site, string settingsFile, IAlertStore store, ChannelStatuses statuses, IHttpClientFactory http, HeldWork held,
    TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("EnergyMonitor.Alerts");

    public IReadOnlyList<string> Channels { get; } = [.. settings.Alerts.Channels.Select(c => c.Name)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Channels.Count == 0)
        {
            // Nothing to deliver to: the notifications wait in the store for a channel to be configured.
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var (items, changed) = held.Watch();
            if (!items.Contains(LeasedWork.AlertDelivery))
            {
                try
                {
                    await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            // Delivering until the lease goes: the dispatcher's round in flight finishes, then it stops.
            using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _ = WatchLeaseAsync(lost, stoppingToken);
            if (held.Leased)
            {
                _logger.LogInformation("Delivering alert notifications on this instance (lease won)");
            }

            await DeliverAsync(lost.Token).ConfigureAwait(false);
            if (!lost.IsCancellationRequested)
            {
                // The dispatcher never ends by itself; if it did, waiting for the lease to change beats trying again at once.
                await lost.CancelAsync().ConfigureAwait(false);
                try
                {
                    await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task WatchLeaseAsync(CancellationTokenSource lost, CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var (items, changed) = held.Watch();
                if (!items.Contains(LeasedWork.AlertDelivery))
                {
                    _logger.LogInformation("Alert delivery lease lost or given up; delivery stops on this instance");
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The service is stopping, which cancels the dispatcher too.
        }
        catch (ObjectDisposedException)
        {
            // The dispatcher ended first and its token source went with it.
        }
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        var channels = AlertChannels.Build(settings, site, settingsFile, http.CreateClient(AlertChannels.HttpClientName), time);
        try
        {
            await new AlertDispatcher(store, channels, statuses, time, _logger).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var channel in channels)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
