using EnergyMonitor.Analytics.Consumption;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Analytics.Jobs;

/// <summary>
/// Brings consumption and rollups up to date from the change marks. Idempotent: a second run with nothing new
/// does nothing, so a misfire that runs it once late, or a run after a restart, is always safe.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RollupJob(ConsumptionEngine engine, ILogger<RollupJob> logger) : IJob
{
    public static readonly JobKey Key = new("rollup", "consumption");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var started = context.FireTimeUtc;
        var summary = await engine.RunPassAsync(null, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rollup pass (scheduled {Scheduled:u}, fired {Fired:u}): {Meters} meters, {Intervals} intervals, {Groups} group series",
            context.ScheduledFireTimeUtc, started, summary.Meters, summary.Intervals, summary.Groups);
    }
}
