using EnergyMonitor.Acquisition;
using EnergyMonitor.Acquisition.Polling;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>
/// Each Modbus gateway: healthy while its meters answer, degraded when some reads fail in a row, unhealthy when no
/// gateway has answered for three polls. A gateway not yet polled is not judged.
/// </summary>
internal sealed class ModbusHealthCheck(GatewayStatuses statuses, LoadedSite site) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var gateways = site.Model.Gateways.Where(g => site.Model.Meters.Any(m => m.Source is Core.Site.ModbusSource s && s.Gateway == g.Id)).Select(g => g.Id).ToList();
        if (gateways.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("no Modbus meters"));
        }

        var all = statuses.All.ToDictionary(s => s.Gateway, StringComparer.Ordinal);
        var data = gateways.ToDictionary(g => g, g => (object)(all.GetValueOrDefault(g) is { } s
            ? new { lastAnswered = s.LastAnswered, lastFailed = s.LastFailed, consecutiveFailures = s.ConsecutiveFailures, reads = s.Reads, failures = s.Failures }
            : new { lastAnswered = (DateTimeOffset?)null, lastFailed = (DateTimeOffset?)null, consecutiveFailures = 0, reads = 0L, failures = 0L }));
        var failing = gateways.Where(g => all.GetValueOrDefault(g) is { ConsecutiveFailures: >= 3 }).ToList();
        if (failing.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{gateways.Count} gateways answering", data));
        }

        return Task.FromResult(failing.Count == gateways.Count
            ? HealthCheckResult.Unhealthy($"no gateway answers: {string.Join(", ", failing)}", data: data)
            : HealthCheckResult.Degraded($"not answering: {string.Join(", ", failing)}", data: data));
    }
}
