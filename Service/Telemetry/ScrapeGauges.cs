using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Notifications;
using EnergyMonitor.Storage.Outbox;

namespace EnergyMonitor.Service.Telemetry;

/// <summary>Reads the gauges that live in the stores (outbox, open alerts, channel counts, samples of unknown meters) when /metrics is scraped.</summary>
public sealed class ScrapeGauges(ServiceMetrics metrics, DurableOutbox? outbox, IAlertStore alerts, ChannelStatuses channels, StoreSampleSink sink, TimeProvider time)
{
    public void Register() => metrics.Registry.AddBeforeCollectCallback(UpdateAsync);

    public async Task UpdateAsync(CancellationToken cancellationToken)
    {
        if (outbox is not null)
        {
            var status = await outbox.StatusAsync(cancellationToken).ConfigureAwait(false);
            metrics.OutboxDepth.Set(status.Depth);
            metrics.OutboxOldestSeconds.Set(status.OldestAge.TotalSeconds);
        }

        metrics.UnknownMeterSamples.IncTo(sink.UnknownMeterSamples);
        var open = await alerts.CurrentAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var severity in Enum.GetValues<AlertSeverity>())
        {
            metrics.AlertsOpen.WithLabels(severity.ToString().ToLowerInvariant()).Set(open.Count(a => a.Finding.Severity == severity && a.State != AlertState.Resolved));
        }

        foreach (var channel in channels.All)
        {
            metrics.Deliveries.WithLabels(channel.Channel).IncTo(channel.Delivered);
            metrics.DeliveryFailures.WithLabels(channel.Channel).IncTo(channel.Failed);
        }
    }
}
