using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>
/// The remote store seen through the outbox: degraded while readings wait for it (they are safe on disk),
/// unhealthy once the outbox is full and holds writers back or drops.
/// </summary>
internal sealed class OutboxHealthCheck(StoreComposition stores) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (stores.Outbox is not { } outbox)
        {
            return HealthCheckResult.Healthy("embedded store; no outbox");
        }

        var s = await outbox.StatusAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["remoteUp"] = s.RemoteUp,
            ["depth"] = s.Depth,
            ["bytes"] = s.Bytes,
            ["oldestAgeSeconds"] = s.OldestAge.TotalSeconds,
            ["delivered"] = s.Delivered,
            ["retried"] = s.Retried,
            ["rejected"] = s.Rejected,
            ["dropped"] = s.Dropped,
            ["blocking"] = s.Blocking,
        };
        if (s.Blocking || s.Dropped > 0)
        {
            return HealthCheckResult.Unhealthy($"outbox full: {s.Depth} readings waiting, {s.Dropped} dropped, writers {(s.Blocking ? "held back" : "running")}", data: data);
        }

        return s.RemoteUp
            ? HealthCheckResult.Healthy($"remote up, {s.Depth} readings waiting", data)
            : HealthCheckResult.Degraded($"remote down: {s.Depth} readings buffered on disk, oldest {s.OldestAge:g}", data: data);
    }
}
