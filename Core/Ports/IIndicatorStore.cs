namespace EnergyMonitor.Core.Ports;

/// <summary>Computed indicators, one document per institution and day, kept so that reports and bureaus read what was computed.</summary>
public interface IIndicatorStore
{
    /// <summary>Saves (or replaces) the institution's indicators as of <paramref name="through"/>.</summary>
    Task SaveAsync(string institution, DateTimeOffset through, string coefficientSet, string json, CancellationToken cancellationToken);

    /// <summary>The latest saved document of the institution, or null.</summary>
    Task<(DateTimeOffset Through, string CoefficientSet, string Json)?> LatestAsync(string institution, CancellationToken cancellationToken);
}
