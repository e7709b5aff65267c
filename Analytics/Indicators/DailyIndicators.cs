using System.Text.Json;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Indicators;

/// <summary>Computes every institution's indicators up to a local midnight from the daily rollups and saves them.</summary>
public sealed class DailyIndicators(SiteModel site, IConsumptionStore rollups, IIndicatorStore indicators, CoefficientCatalog catalog)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public async Task<IReadOnlyList<InstitutionIndicators>> RunAsync(DateTimeOffset through, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var year = TimeZoneInfo.ConvertTime(through, zone).Year;
        var result = new List<InstitutionIndicators>();
        foreach (var institution in site.Institutions)
        {
            var daily = await YearIndicators.DailyRollupsAsync(rollups, zone, institution, year, through, cancellationToken).ConfigureAwait(false);
            var computed = IndicatorCalculator.Compute(site, institution, through, daily, catalog);
            await indicators.SaveAsync(institution.Id, through, computed.CoefficientSet, JsonSerializer.Serialize(computed, Json), cancellationToken).ConfigureAwait(false);
            result.Add(computed);
        }

        return result;
    }
}
