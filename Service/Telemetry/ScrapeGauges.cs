using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Notifications;
using EnergyMonitor.Storage.Outbox;

namespace EnergyMonitor.Service.Telemetry;

/// <summary>
/// Reads the gauges that live elsewhere (outbox, open alerts, channel counts, samples of unknown meters, the work this
/// instance holds) when /metrics is scraped.
/// </summary>
public sealed class ScrapeGauges(ServiceMetrics metrics, DurableOutbox? outbox, IAlertStore alerts, ChannelStatuses channels, StoreSampleSink sink, HeldWork held,
    IReadOnlyList<string> work, string instanceId, TimeProvider time)
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
        metrics.InstanceInfo.WithLabels(instanceId).Set(1);
        var holds = held.Items;
        foreach (var item in work)
        {
            if (LeasedWork.GatewayOf(item) is { } gateway)
            {
                metrics.GatewayHeld.WithLabels(gateway).Set(holds.Contains(item) ? 1 : 0);
            }
        }

        metrics.AlertDeliveryHeld.Set(holds.Contains(LeasedWork.AlertDelivery) ? 1 : 0);

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
