using EnergyMonitor.Collector.Cli;
using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Collector.Pipeline;
using EnergyMonitor.Collector.Polling;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EnergyMonitor.Collector.Hosting;

/// <summary>The composition root of the long-running service.</summary>
internal static class ServiceHost
{
    public static async Task<int> RunAsync(ServiceSettings settings, LoadedSite site, string settingsFile, CancellationToken cancellationToken)
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

        var database = await SqliteDatabase.OpenAsync(settings.Storage.Sqlite, cancellationToken).ConfigureAwait(false);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(site);
        builder.Services.AddSingleton(site.Model);
        builder.Services.AddSingleton<SampleNormalizer>();
        builder.Services.AddSingleton<ISampleSink, StoreSampleSink>();
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<SqliteReadingStore>();
        builder.Services.AddSingleton<IReadingStore>(sp => sp.GetRequiredService<SqliteReadingStore>());
        builder.Services.AddHostedService<SiteService>();
        builder.Services.AddHostedService<PollingService>();

        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
