using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Service.Hosting;

/// <summary>A scheduled job: its type, key and cron expression (Quartz syntax, with seconds), cut in the site's zone.</summary>
public sealed record ScheduledJob(Type JobType, JobKey Key, string Cron);

/// <summary>
/// Quartz with its persistent ADO.NET job store in the embedded database. Triggers are kept across restarts,
/// and a trigger that fell while the service was stopped fires once when it is back (fire-and-proceed),
/// never once per missed time.
/// </summary>
public static class Scheduling
{
    public static TriggerKey TriggerKeyOf(ScheduledJob job) => new(job.Key.Name + "-cron", job.Key.Group);

    public static IServiceCollection AddScheduling(this IServiceCollection services, string databasePath, IReadOnlyList<ScheduledJob> jobs, TimeZoneInfo zone, TimeSpan misfireThreshold)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        services.AddSingleton(jobs);
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UseSqlite(SqliteFactory.Instance, connectionString);

                // Quartz creates its own tables (and only creates) in the embedded database on first start.
                store.ProvisionSchema();
            });
            foreach (var job in jobs)
            {
                q.AddJob(job.JobType, j => j.WithIdentity(job.Key).StoreDurably());
            }
        });

        // Before Quartz starts: triggers are created or changed here rather than re-added on every start, which
        // would reset their next fire time and lose the misfire that must run once.
        services.AddHostedService(sp => new TriggerSetup(sp.GetRequiredService<ISchedulerFactory>(), jobs, zone, misfireThreshold, sp.GetRequiredService<ILogger<TriggerSetup>>()));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private sealed class TriggerSetup(ISchedulerFactory factory, IReadOnlyList<ScheduledJob> jobs, TimeZoneInfo zone, TimeSpan misfireThreshold, ILogger<TriggerSetup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken stopping)
        {
            // Short and local; a stop request that arrives meanwhile must not fail the start (the host then stops
            // normally), so it does not cancel this.
            _ = stopping;
            var cancellationToken = CancellationToken.None;
            var scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
            foreach (var job in jobs)
            {
                var key = TriggerKeyOf(job);
                var existing = await scheduler.GetTrigger(key, cancellationToken).ConfigureAwait(false) as ICronTrigger;
                if (existing is not null && existing.CronExpressionString == job.Cron && existing.TimeZone.Id == zone.Id)
                {
                    logger.LogInformation("Job {Job}: cron {Cron}, next at {Next:u}", job.Key, job.Cron, existing.NextFireTimeUtc);
                    continue;
                }

                var trigger = TriggerBuilder.Create()
                    .WithIdentity(key)
                    .ForJob(job.Key)
                    .WithCronSchedule(job.Cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                    .WithMisfireThreshold(misfireThreshold)
                    .Build();
                if (existing is null)
                {
                    await scheduler.ScheduleJob(trigger, default, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await scheduler.RescheduleJob(key, trigger, cancellationToken).ConfigureAwait(false);
                }

                logger.LogInformation("Job {Job}: cron {Cron} {Change}", job.Key, job.Cron, existing is null ? "scheduled" : "changed");
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
