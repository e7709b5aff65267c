using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>
/// Writes the latest health report to <c>health.json</c> beside the embedded database, for monitoring agents
/// and operators (<c>cat</c> is enough), and logs every change of a check's status.
/// </summary>
internal sealed class HealthFilePublisher(string path, TimeProvider time, ILogger<HealthFilePublisher> logger) : IHealthCheckPublisher
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Dictionary<string, HealthStatus> _last = new(StringComparer.Ordinal);

    public string Path => path;

    public async Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        foreach (var (name, entry) in report.Entries)
        {
            var changed = !_last.TryGetValue(name, out var previous) ? entry.Status != HealthStatus.Healthy : previous != entry.Status;
            _last[name] = entry.Status;
            if (changed)
            {
                logger.Log(entry.Status == HealthStatus.Healthy ? LogLevel.Information : LogLevel.Warning,
                    "Health of {Check}: {Status}: {Description}", name, entry.Status, entry.Description);
            }
        }

        var document = new
        {
            status = report.Status.ToString(),
            at = time.GetUtcNow(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        };

        // Written beside and renamed over, so that a reader never sees half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(document, Json), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
