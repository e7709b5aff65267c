using Quartz;

namespace EnergyMonitor.Service.Telemetry;

/// <summary>Counts each scheduled job's runs, failures and run time for /metrics.</summary>
public sealed class JobMetricsListener(ServiceMetrics metrics) : IJobListener
{
    public string Name => "metrics";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        metrics.JobRan(context.JobDetail.Key.Name, context.JobRunTime, jobException is not null);
        return ValueTask.CompletedTask;
    }
}
