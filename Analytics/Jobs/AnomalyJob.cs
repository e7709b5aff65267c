using EnergyMonitor.Analytics.Alerts;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Analytics.Jobs;

/// <summary>
/// The anomaly pass after the rollups: raise, refresh and resolve alerts, queueing their notifications. Idempotent:
/// a second run with nothing new refreshes the same alerts and notifies nobody.
/// </summary>
[DisallowConcurrentExecution]
public sealed class AnomalyJob(AnomalyPass pass, TimeProvider time, ILogger<AnomalyJob> logger) : IJob
{
    public static readonly JobKey Key = new("anomalies", "alerts");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var s = await pass.RunAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Anomaly pass: {Findings} findings; {Raised} raised, {Reopened} reopened, {Resolved} resolved, {Refreshed} still open ({Elapsed:N0} ms)",
            s.Findings, s.Raised, s.Reopened, s.Resolved, s.Refreshed, s.Elapsed.TotalMilliseconds);
    }
}
