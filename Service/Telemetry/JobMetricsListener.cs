using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Service.Telemetry;

/// <summary>
/// Counts each scheduled job's runs, failures and run time for /metrics, and logs each run with the instance that ran
/// it, so that a cluster's logs show every scheduled time taken once.
/// </summary>
public sealed class JobMetricsListener(ServiceMetrics metrics, ILogger<JobMetricsListener> logger) : IJobListener
{
    public string Name => "metrics";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Job {Job} runs for its time {Scheduled:O} on instance {Instance}{Recovering}", context.JobDetail.Key, context.ScheduledFireTimeUtc,
            context.Scheduler.SchedulerInstanceId, context.Recovering ? " (recovered from an instance that stopped)" : "");
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        metrics.JobRan(context.JobDetail.Key.Name, context.JobRunTime, jobException is not null);
        logger.LogInformation("Job {Job} done for its time {Scheduled:O} on instance {Instance} in {Elapsed}{Outcome}", context.JobDetail.Key, context.ScheduledFireTimeUtc,
            context.Scheduler.SchedulerInstanceId, context.JobRunTime, jobException is null ? "" : " (failed)");
        return ValueTask.CompletedTask;
    }
}
