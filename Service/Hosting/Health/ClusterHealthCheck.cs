using EnergyMonitor.Core.Ports;
using EnergyMonitor.Service.Settings;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>
/// With <c>Storage:Kind: Postgres</c>: this instance's id, the gateways and duties it holds, and the last renewal of
/// its leases. Degraded once the renewal is older than a lease: another instance may then be reading the same gateways.
/// </summary>
internal sealed class ClusterHealthCheck(HeldWork held, ServiceSettings settings, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var items = held.Items.Order(StringComparer.Ordinal).ToList();
        var gateways = items.Select(LeasedWork.GatewayOf).OfType<string>().ToList();
        var data = new Dictionary<string, object>
        {
            ["instance"] = settings.Cluster.ResolvedInstanceId,
            ["gateways"] = gateways,
            ["alertDelivery"] = items.Contains(LeasedWork.AlertDelivery),
            ["lastRenewed"] = held.LastRenewed?.ToString("O") ?? "never",
        };
        var description = $"instance {settings.Cluster.ResolvedInstanceId} holds {gateways.Count} gateways" + (items.Contains(LeasedWork.AlertDelivery) ? " and alert delivery" : "");
        var lease = TimeSpan.FromSeconds(settings.Cluster.LeaseSeconds);
        return Task.FromResult(held.LastRenewed is { } renewed && time.GetUtcNow() - renewed > lease
            ? HealthCheckResult.Degraded($"{description}; leases not renewed since {renewed:u} (the database does not answer)", data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}
