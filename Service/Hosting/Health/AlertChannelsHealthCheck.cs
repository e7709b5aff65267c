using EnergyMonitor.Core.Ports;
using EnergyMonitor.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>
/// The alert channels: degraded while a channel fails (its alerts wait in the store, none lost), with the platform's
/// error code (WeCom errcode 45009, DingTalk 310000, an SMTP reply) and each channel's backlog.
/// </summary>
internal sealed class AlertChannelsHealthCheck(AlertDeliveryService delivery, ChannelStatuses statuses, IAlertStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = await store.BacklogAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>();
        var failing = new List<string>();
        foreach (var name in delivery.Channels)
        {
            var s = statuses.Of(name);
            var (pending, oldest) = backlog.GetValueOrDefault(name);
            data[name] = new Dictionary<string, object?>
            {
                ["pending"] = pending,
                ["oldest"] = oldest,
                ["delivered"] = s.Delivered,
                ["failed"] = s.Failed,
                ["digests"] = s.Digests,
                ["lastDelivered"] = s.LastDelivered,
                ["lastError"] = s.LastError,
                ["consecutiveFailures"] = s.ConsecutiveFailures,
            };
            if (s.ConsecutiveFailures > 0)
            {
                failing.Add($"{name} ({s.LastError})");
            }
        }

        if (delivery.Channels.Count == 0)
        {
            return HealthCheckResult.Healthy("no alert channels configured", data);
        }

        return failing.Count == 0
            ? HealthCheckResult.Healthy($"{delivery.Channels.Count} channel(s) delivering", data)
            : HealthCheckResult.Degraded($"failing: {string.Join("; ", failing)}; their alerts wait in the store", data: data);
    }
}
