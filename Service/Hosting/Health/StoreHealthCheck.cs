using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>The embedded database answers a query, and its file's size and free disk space are reported.</summary>
internal sealed class StoreHealthCheck(SqliteDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await database.SchemaVersionAsync(cancellationToken).ConfigureAwait(false);
            var file = new FileInfo(database.FilePath);
            var free = new DriveInfo(file.DirectoryName!).AvailableFreeSpace;
            // No path: /health answers anyone who can reach it, and where the database lives is not theirs to know.
            var data = new Dictionary<string, object> { ["bytes"] = file.Length, ["schemaVersion"] = version, ["freeBytes"] = free };
            return free < 512L * 1024 * 1024
                ? HealthCheckResult.Degraded($"less than 512 MB free beside the database ({free / (1024 * 1024)} MB)", data: data)
                : HealthCheckResult.Healthy($"embedded database at schema {version}", data);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            return HealthCheckResult.Unhealthy("the embedded database does not answer", e);
        }
    }
}
