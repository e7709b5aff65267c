using EnergyMonitor.Analytics.Indicators;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EnergyMonitor.Analytics.Jobs;

/// <summary>
/// Each institution's indicators up to today's local midnight. Idempotent: a run for the same day replaces
/// that day's document, so a misfire run late, or twice, leaves the same result.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DailyIndicatorsJob(DailyIndicators indicators, Core.Site.SiteModel site, TimeProvider time, ILogger<DailyIndicatorsJob> logger) : IJob
{
    public static readonly JobKey Key = new("daily-indicators", "consumption");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var through = Rollups.RollupPeriods.Start(Core.Domain.RollupPeriod.Day, time.GetUtcNow(), site.TimeZone);
        foreach (var i in await indicators.RunAsync(through, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("Indicators of {Institution} for {Year} to {Through:yyyy-MM-dd}: {Kgce:N0} kgce, {Co2:N0} kgCO2, {PerArea} kgce/m², {PerPerson} kgce/person ({Set}); {Notes}",
                i.Institution, i.Year, through, i.Kgce, i.Co2, Show(i.EnergyPerArea, "N2"), Show(i.EnergyPerPerson, "N1"), i.CoefficientSet, string.Join("; ", i.Notes.Select(n => n.En)));
        }
    }

    private static string Show(double? value, string format) => value?.ToString(format, System.Globalization.CultureInfo.InvariantCulture) ?? "n/a";
}
