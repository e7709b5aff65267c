using System.Globalization;
using EnergyMonitor.Acquisition.Mqtt;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>Each broker's connection: healthy when connected and subscribed, unhealthy with the last error otherwise.</summary>
internal sealed class MqttHealthCheck(MqttService mqtt) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Evaluate(mqtt.Ingestors));

    public static HealthCheckResult Evaluate(IReadOnlyList<MqttIngestor> ingestors)
    {
        if (ingestors.Count == 0)
        {
            return HealthCheckResult.Healthy("no MQTT broker configured");
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var down = new List<string>();
        foreach (var i in ingestors)
        {
            data[i.Name] = new Dictionary<string, object?>
            {
                ["endpoint"] = i.Endpoint,
                ["state"] = i.IsReady ? "subscribed" : i.IsConnected ? "connecting" : "disconnected",
                ["lastError"] = i.LastError,
                ["messages"] = i.Messages,
                ["readingsStored"] = i.Stored,
                ["lastMessageAt"] = i.LastMessageAt?.ToString("O", CultureInfo.InvariantCulture),
                ["quarantined"] = i.Quarantined.ToDictionary(q => q.Key.ToString(), q => q.Value),
            };
            if (!i.IsReady)
            {
                down.Add(i.LastError is { } error ? $"{i.Name} ({i.Endpoint}): {error}" : $"{i.Name} ({i.Endpoint}): not connected");
            }
        }

        return down.Count == 0
            ? HealthCheckResult.Healthy($"{ingestors.Count} broker(s) subscribed", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", down), data: data);
    }
}
