using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Indicators;
using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Collector.Pipeline;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Collector.Hosting;

/// <summary>
/// The composition root: every port registered once, here. The service and each CLI command build their
/// container from these, so a store or engine is wired the same way wherever it runs.
/// </summary>
public static class ServiceRegistration
{
    /// <summary>The validated settings and site, and the clock.</summary>
    public static IServiceCollection AddEnergyMonitorConfiguration(this IServiceCollection services, ServiceSettings settings, LoadedSite site, TimeProvider time)
    {
        services.AddSingleton(time);
        services.AddSingleton(settings);
        services.AddSingleton(site);
        services.AddSingleton(site.Model);
        return services;
    }

    /// <summary>
    /// The configured reading store and the stores of the embedded database that are always there: consumption and
    /// rollups, indicators, the quarantine.
    /// </summary>
    public static IServiceCollection AddEnergyMonitorStores(this IServiceCollection services, StoreComposition stores)
    {
        services.AddSingleton(stores);
        services.AddSingleton(stores.Database);
        services.AddSingleton(stores.Store);
        services.AddSingleton<IConsumptionStore>(new SqliteConsumptionStore(stores.Database));
        services.AddSingleton<IIndicatorStore>(new SqliteIndicatorStore(stores.Database));
        services.AddSingleton<IQuarantine>(new QuarantineStore(stores.Database));
        return services;
    }

    /// <summary>The pipeline every acquisition path writes through: normalise, flag, store.</summary>
    public static IServiceCollection AddAcquisition(this IServiceCollection services)
    {
        services.AddSingleton<SampleNormalizer>();
        services.AddSingleton<ISampleSink, StoreSampleSink>();
        return services;
    }

    /// <summary>Consumption, rollups and indicators over the stores.</summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services, ServiceSettings settings)
    {
        services.AddSingleton(settings.Consumption.ToOptions());
        services.AddSingleton(CoefficientSettings.Build(settings.CoefficientSets));
        services.AddSingleton<ConsumptionEngine>();
        services.AddSingleton<DailyIndicators>();
        services.AddSingleton<BuildingAssessment>();
        return services;
    }
}
