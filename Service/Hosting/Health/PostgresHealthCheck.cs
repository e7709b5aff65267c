using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>
/// With <c>Storage:Kind: Postgres</c>, the server database answers a query within the check's time. Degraded, not
/// unhealthy, when it does not: readings wait in the local outbox (its own check says how many), nothing is lost.
/// </summary>
internal sealed class PostgresHealthCheck(StoreComposition stores) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var database = stores.Postgres ?? throw new InvalidOperationException("registered only with Storage:Kind Postgres");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var version = await database.SchemaVersionAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PostgreSQL at schema {version}", new Dictionary<string, object> { ["schemaVersion"] = version });
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Degraded("PostgreSQL does not answer; readings wait in the local outbox", e);
        }
    }
}
