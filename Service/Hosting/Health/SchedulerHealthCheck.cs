using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace EnergyMonitor.Service.Hosting.Health;

/// <summary>The Quartz scheduler is running, with each scheduled job's next fire time.</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory factory, IReadOnlyList<ScheduledJob> jobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var status = await scheduler.GetStatus(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object> { ["status"] = status.ToString() };
        foreach (var job in jobs)
        {
            var trigger = await scheduler.GetTrigger(Scheduling.TriggerKeyOf(job), cancellationToken).ConfigureAwait(false);
            data[job.Key.Name] = trigger?.NextFireTimeUtc?.ToString("O") ?? "not scheduled";
        }

        return status switch
        {
            SchedulerStatus.Running => HealthCheckResult.Healthy($"{jobs.Count} jobs scheduled", data),
            SchedulerStatus.Created or SchedulerStatus.Standby => HealthCheckResult.Degraded("the scheduler is not running yet", data: data),
            _ => HealthCheckResult.Unhealthy($"the scheduler is {status}", data: data),
        };
    }
}
