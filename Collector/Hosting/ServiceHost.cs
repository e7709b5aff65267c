using EnergyMonitor.Analytics.Jobs;
using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Collector.Hosting.Health;
using EnergyMonitor.Collector.Polling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Collector.Hosting;

/// <summary>The composition root of the long-running service.</summary>
internal static class ServiceHost
{
    /// <exception cref="ConfigException">The store's settings cannot be used (a secret that is not there, say).</exception>
    public static async Task RunAsync(ServiceSettings settings, LoadedSite site, string settingsFile, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Path.GetDirectoryName(settingsFile),
            DisableDefaults = false,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(ServiceSettingsLoader.Build(settingsFile));
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(o => o.ServiceName = "EnergyMonitor");

        using var startupLoggers = LoggerFactory.Create(b => b.AddConsole());
        var stores = await StoreComposition.OpenAsync(settings, site.Model, settingsFile, TimeProvider.System, startupLoggers, cancellationToken).ConfigureAwait(false);

        await using var _ = stores;
        builder.Services
            .AddEnergyMonitorConfiguration(settings, site, TimeProvider.System)
            .AddEnergyMonitorStores(stores)
            .AddAcquisition()
            .AddAnalytics(settings)
            .AddAlerting(settings, settingsFile)
            .AddReports(settings, settingsFile, stores.Database.FilePath);
        builder.Services.AddHostedService<SiteService>();
        builder.Services.AddHostedService<PollingService>();
        builder.Services.AddHostedService<OutboxService>();
        builder.Services.AddSingleton<Mqtt.MqttService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Mqtt.MqttService>());
        builder.Services.AddScheduling(stores.Database.FilePath,
            [
                new ScheduledJob(typeof(RollupJob), RollupJob.Key, settings.Schedule.RollupCron),
                new ScheduledJob(typeof(DailyIndicatorsJob), DailyIndicatorsJob.Key, settings.Schedule.IndicatorsCron),
                .. settings.Alerts.Enabled ? [new ScheduledJob(typeof(AnomalyJob), AnomalyJob.Key, settings.Alerts.Cron)] : Array.Empty<ScheduledJob>(),
                new ScheduledJob(typeof(Reports.Jobs.MonthlyReportJob), Reports.Jobs.MonthlyReportJob.Key, settings.Reports.MonthlyCron),
                new ScheduledJob(typeof(Reports.Jobs.AnnualSubmissionJob), Reports.Jobs.AnnualSubmissionJob.Key, settings.Reports.SubmissionCron),
            ],
            site.Model.TimeZone, TimeSpan.FromSeconds(settings.Schedule.MisfireThresholdSeconds));
        builder.Services.AddSingleton(sp => new AlertDeliveryService(settings, site.Model, settingsFile, sp.GetRequiredService<Core.Ports.IAlertStore>(),
            sp.GetRequiredService<Alerting.ChannelStatuses>(), TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertDeliveryService>());
        builder.Services.AddHealthChecks()
            .AddCheck<MqttHealthCheck>("mqtt")
            .AddCheck<OutboxHealthCheck>("outbox")
            .AddCheck<AlertChannelsHealthCheck>("alert-channels");
        builder.Services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(2);
            o.Period = TimeSpan.FromSeconds(settings.HealthPeriodSeconds);
        });
        builder.Services.AddSingleton<IHealthCheckPublisher>(sp => new HealthFilePublisher(
            Path.Combine(Path.GetDirectoryName(stores.Database.FilePath)!, "health.json"), TimeProvider.System, sp.GetRequiredService<ILogger<HealthFilePublisher>>()));

        using var host = builder.Build();

        // A stop request that arrives while services are still starting must stop them, not abort the start
        // with an exception (exit 143): start unconditionally, then let the token or a signal end the run.
        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }
}
