using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Service.Hosting;

/// <summary>A scheduled job: its type, key and cron expression (Quartz syntax, with seconds), cut in the site's zone.</summary>
public sealed record ScheduledJob(Type JobType, JobKey Key, string Cron);

/// <summary>Where Quartz keeps its schedule: the embedded database of one instance, or PostgreSQL shared by a cluster.</summary>
public abstract record JobStoreLocation
{
    private JobStoreLocation()
    {
    }

    /// <summary>The embedded database file: one instance.</summary>
    public sealed record Embedded(string DatabasePath) : JobStoreLocation;

    /// <summary>
    /// PostgreSQL, clustered: every instance on the database is a node, each job fires on one of them, and a job
    /// whose node dies while running it is run again by another.
    /// </summary>
    public sealed record Clustered(string ConnectionString, string InstanceId, TimeSpan CheckinInterval, TimeSpan CheckinMisfireThreshold) : JobStoreLocation;
}

/// <summary>
/// Quartz with its persistent ADO.NET job store. Triggers are kept across restarts, and a trigger that fell while
/// the service was stopped fires once when it is back (fire-and-proceed), never once per missed time.
/// </summary>
public static class Scheduling
{
    public static TriggerKey TriggerKeyOf(ScheduledJob job) => new(job.Key.Name + "-cron", job.Key.Group);

    public static IServiceCollection AddScheduling(this IServiceCollection services, string databasePath, IReadOnlyList<ScheduledJob> jobs, TimeZoneInfo zone, TimeSpan misfireThreshold) =>
        services.AddScheduling(new JobStoreLocation.Embedded(databasePath), jobs, zone, misfireThreshold);

    public static IServiceCollection AddScheduling(this IServiceCollection services, JobStoreLocation location, IReadOnlyList<ScheduledJob> jobs, TimeZoneInfo zone, TimeSpan misfireThreshold)
    {
        services.AddSingleton(jobs);
        services.AddQuartz(q =>
        {
            if (location is JobStoreLocation.Clustered clustered)
            {
                q.ConfigureScheduler(o => o.InstanceId = clustered.InstanceId);
            }

            q.UsePersistentStore(store =>
            {
                switch (location)
                {
                    case JobStoreLocation.Embedded embedded:
                        store.UseSqlite(SqliteFactory.Instance, new SqliteConnectionStringBuilder { DataSource = embedded.DatabasePath, Pooling = true }.ToString());
                        break;
                    case JobStoreLocation.Clustered c:
                        store.UsePostgres(Npgsql.NpgsqlFactory.Instance, c.ConnectionString);
                        store.UseClustering(o =>
                        {
                            // A dead node's triggers and its job in flight are taken over once it has missed its
                            // check-in by the threshold: the other nodes recover them at their own next check-in. The
                            // service passes the gateway leases' timing, so a dead instance's jobs and gateways move together.
                            o.CheckinInterval = c.CheckinInterval;
                            o.CheckinMisfireThreshold = c.CheckinMisfireThreshold;
                        });
                        break;
                }

                // Quartz creates its own tables (and only creates) on first start: in the embedded database, or as
                // qrtz_* tables beside ours in PostgreSQL.
                store.ProvisionSchema();
            });
            foreach (var job in jobs)
            {
                // Recovery: a job whose instance died while running it runs again on another (the jobs are
                // idempotent; docs/ARCHITECTURE.md § Jobs).
                q.AddJob(job.JobType, j => j.WithIdentity(job.Key).StoreDurably().RequestRecovery(location is JobStoreLocation.Clustered));
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
