using EnergyMonitor.Acquisition;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Analytics.Jobs;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Service.Hosting.Health;
using EnergyMonitor.Service.Settings;
using EnergyMonitor.Service.Telemetry;
using EnergyMonitor.Site;
using EnergyMonitor.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Service.Hosting;

/// <summary>The composition root of the long-running service.</summary>
internal static class ServiceHost
{
    /// <summary>
    /// How long a stop may take: the job in flight finishes (Quartz waits for it), the pollers' last batch is
    /// written, and the outbox makes a last delivery attempt. systemd's TimeoutStopSec must exceed it (docs/OPERATIONS.md).
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// systemd readiness (Type=notify) whenever systemd gave us a socket, not only when systemd is our parent
    /// process (what AddSystemd checks): a wrapper script or a test harness in between must not cost readiness.
    /// </summary>
    private static void UseServiceManager(IServiceCollection services)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            services.AddSingleton<Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier, Microsoft.Extensions.Hosting.Systemd.SystemdNotifier>();
            services.AddSingleton<IHostLifetime, Microsoft.Extensions.Hosting.Systemd.SystemdLifetime>();
        }
        else
        {
            services.AddSystemd();
        }

        services.AddWindowsService(o => o.ServiceName = "EnergyMonitor");
    }

    /// <exception cref="ConfigException">The store's settings cannot be used (a secret that is not there, say).</exception>
    public static async Task RunAsync(ServiceSettings settings, LoadedSite site, string settingsFile, TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Path.GetDirectoryName(settingsFile),
            Args = [],
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(ServiceSettingsLoader.Build(settingsFile));
        UseServiceManager(builder.Services);

        // Every registration is checked when the host is built: a service the container cannot make is a start-up
        // error, not a hosted service that fails later (a constructor that asked for an unregistered list did).
        builder.Host.UseDefaultServiceProvider(o => (o.ValidateOnBuild, o.ValidateScopes) = (true, true));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        using var startupLoggers = LoggerFactory.Create(b => b.AddConsole());
        var stores = await StoreComposition.OpenAsync(settings, site.Model, settingsFile, time, startupLoggers, cancellationToken).ConfigureAwait(false);
        var dataDirectory = Path.GetDirectoryName(stores.Database.FilePath)!;
        ServiceLogging.Configure(builder, settings.Logs, dataDirectory);

        await using var _ = stores;

        // Metrics see what the stores make durable and what the quarantine keeps; the pollers report each read.
        var metrics = new ServiceMetrics(site.Model);
        builder.Services
            .AddEnergyMonitorConfiguration(settings, site, time)
            .AddEnergyMonitorStores(stores, metrics)
            .AddAcquisition()
            .AddAnalytics(settings)
            .AddAlerting(settings, settingsFile)
            .AddReports(settings, settingsFile, stores.Database.FilePath);

        var gatewayStatuses = new GatewayStatuses(time);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(gatewayStatuses);
        builder.Services.AddSingleton(new PollerOptions
        {
            Observer = (gateway, duration, answered) =>
            {
                metrics.Polled(gateway, duration, answered);
                gatewayStatuses.Record(gateway, answered);
            },
            FrameFaultObserver = (gateway, _, fault) => metrics.FrameFault(gateway, fault),
        });
        builder.Services.AddSingleton<JobMetricsListener>();
        builder.Services.AddQuartz(q => q.AddJobListener<JobMetricsListener>());
        builder.Services.AddHostedService<SiteService>();

        // Alone, this instance holds all the work; on PostgreSQL it holds what its leases give it, which may be all
        // of it too (docs/OPERATIONS.md § Two instances). Registered before the pollers and the dispatcher, so that
        // it stops after them and gives the leases up once they are idle.
        var cluster = settings.Cluster;
        IReadOnlyList<string> work = [.. PollingService.Work(site), Core.Ports.LeasedWork.AlertDelivery];
        if (stores.Postgres is { } pg)
        {
            var leases = new Storage.Postgres.PostgresWorkLeases(pg, cluster.ResolvedInstanceId, TimeSpan.FromSeconds(cluster.LeaseSeconds));
            var heldWork = new Core.Ports.HeldWork([], leased: true);
            builder.Services.AddSingleton(heldWork);
            builder.Services.AddSingleton(leases);
            builder.Services.AddHostedService(sp => new WorkLeaseService(leases, heldWork, work, TimeSpan.FromSeconds(cluster.RenewSeconds), time,
                sp.GetRequiredService<ILogger<WorkLeaseService>>()));
        }
        else
        {
            builder.Services.AddSingleton(new Core.Ports.HeldWork(work, leased: false));
        }

        builder.Services.AddHostedService<PollingService>();
        builder.Services.AddHostedService<OutboxService>();
        // Mappings and secrets are resolved now, so that a broker's error stops the start rather than the ingestor.
        builder.Services.AddSingleton<IReadOnlyList<Acquisition.Mqtt.MqttSubscription>>(MqttBrokers.Brokers(settings, site.Model, settingsFile));
        builder.Services.AddSingleton<Acquisition.Mqtt.MqttService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Acquisition.Mqtt.MqttService>());
        builder.Services.AddScheduling(stores.Postgres is null
                ? new JobStoreLocation.Embedded(stores.Database.FilePath)
                : new JobStoreLocation.Clustered(settings.Storage.Postgres.Resolve(settingsFile).ConnectionString, cluster.ResolvedInstanceId,
                    TimeSpan.FromSeconds(cluster.RenewSeconds), TimeSpan.FromSeconds(cluster.LeaseSeconds)),
            [
                new ScheduledJob(typeof(RollupJob), RollupJob.Key, settings.Schedule.RollupCron),
                new ScheduledJob(typeof(DailyIndicatorsJob), DailyIndicatorsJob.Key, settings.Schedule.IndicatorsCron),
                .. settings.Alerts.Enabled ? [new ScheduledJob(typeof(AnomalyJob), AnomalyJob.Key, settings.Alerts.Cron)] : Array.Empty<ScheduledJob>(),
                new ScheduledJob(typeof(Reports.Jobs.MonthlyReportJob), Reports.Jobs.MonthlyReportJob.Key, settings.Reports.MonthlyCron),
                new ScheduledJob(typeof(Reports.Jobs.AnnualSubmissionJob), Reports.Jobs.AnnualSubmissionJob.Key, settings.Reports.SubmissionCron),
            ],
            site.Model.TimeZone, TimeSpan.FromSeconds(settings.Schedule.MisfireThresholdSeconds));
        builder.Services.AddSingleton(sp => new AlertDeliveryService(settings, site.Model, settingsFile, sp.GetRequiredService<Core.Ports.IAlertStore>(),
            sp.GetRequiredService<Notifications.ChannelStatuses>(), sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<Core.Ports.HeldWork>(), time,
            sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertDeliveryService>());
        var health = builder.Services.AddHealthChecks();
        if (stores.Postgres is not null)
        {
            health.AddCheck<PostgresHealthCheck>("postgres");
            health.AddCheck<ClusterHealthCheck>("cluster");
        }

        health
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<ModbusHealthCheck>("modbus")
            .AddCheck<SchedulerHealthCheck>("scheduler")
            .AddCheck<MqttHealthCheck>("mqtt")
            .AddCheck<OutboxHealthCheck>("outbox")
            .AddCheck<AlertChannelsHealthCheck>("alert-channels");
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(2);
            o.Period = TimeSpan.FromSeconds(settings.HealthPeriodSeconds);
        });
        builder.Services.AddSingleton<IHealthCheckPublisher>(sp => new HealthFilePublisher(
            Path.Combine(Path.GetDirectoryName(stores.Database.FilePath)!, "health.json"), time, sp.GetRequiredService<ILogger<HealthFilePublisher>>()));

        if (settings.Http.Enabled)
        {
            builder.AddEnergyMonitorWeb(settings.Http, dataDirectory, ServiceRegistration.ReportArchiveDirectory(settings, stores.Database.FilePath), stores.Database.FilePath);
            if (stores.Postgres is { } keys)
            {
                // Sessions are in the database; so are the keys their cookies are sealed with, for every instance alike.
                builder.Services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRepository(keys.DataSource));
            }
        }
        else
        {
            // No listener at all, not Kestrel's default port.
            builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.Server.IServer, DisabledServer>();
        }

        builder.Services.AddSingleton(sp => new ScrapeGauges(metrics, stores.Outbox, sp.GetRequiredService<IAlertStore>(), sp.GetRequiredService<Notifications.ChannelStatuses>(), sp.GetRequiredService<Acquisition.Pipeline.StoreSampleSink>(),
            sp.GetRequiredService<Core.Ports.HeldWork>(), work, cluster.ResolvedInstanceId, time));

        await using var app = builder.Build();
        app.Services.GetRequiredService<ScrapeGauges>().Register();
        if (settings.Http.Enabled)
        {
            app.UseEnergyMonitorWeb(settings.Http, metrics.Registry);
        }

        // A stop request that arrives while services are still starting must stop them, not abort the start
        // with an exception (exit 143): start unconditionally, then let the token or a signal end the run.
        try
        {
            await app.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // SIGTERM while Kestrel was binding: the host cancels its own start; stop what did start, and exit 0.
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (settings.Http.Enabled)
        {
            app.Logger.LogInformation("Console, API, /health and /metrics on {Url} ({Keys} API keys)", settings.Http.Url, settings.Http.ApiKeys.Count);
        }

        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }
}
