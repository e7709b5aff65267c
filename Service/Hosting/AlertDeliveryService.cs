using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Notifications;
using EnergyMonitor.Service.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Hosting;

/// <summary>Runs the alert dispatcher over the configured channels for the life of the service.</summary>
internal sealed class AlertDeliveryService(ServiceSettings settings, SiteModel site, string settingsFile, IAlertStore store, ChannelStatuses statuses, IHttpClientFactory http, TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    public IReadOnlyList<string> Channels { get; } = [.. settings.Alerts.Channels.Select(c => c.Name)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channels = AlertChannels.Build(settings, site, settingsFile, http.CreateClient(AlertChannels.HttpClientName), time);
        try
        {
            await new AlertDispatcher(store, channels, statuses, time, loggers.CreateLogger("EnergyMonitor.Alerts")).RunAsync(stoppingToken).ConfigureAwait(false);
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
