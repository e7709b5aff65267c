using EnergyMonitor.Core.Site;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// Announces what the service is serving. Acquisition and analytics services join the host beside it as they
/// are built; this one owns nothing that needs stopping.
/// </summary>
internal sealed class SiteService(SiteModel site, SqliteDatabase database, ILogger<SiteService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation(
            "Serving site {Site}: {Institutions} institutions, {Buildings} buildings, {Meters} meters; time zone {TimeZone}; store {Database} (schema v{Schema})",
            site.Name, site.Institutions.Count, site.Buildings.Count(), site.Meters.Count(), site.TimeZone.Id, database.FilePath, database.SchemaVersion);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Stopping site {Site}", site.Name);
        return Task.CompletedTask;
    }
}
