using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>Builds findings with the place and wording every rule needs.</summary>
internal static class Findings
{
    public static Finding ForMeter(AnomalyInput input, string rule, Meter meter, AlertSeverity severity, DateTimeOffset since, IReadOnlyList<Evidence> evidence, LocalizedText summary, LocalizedText action)
    {
        var (building, institution) = input.PlaceOf(meter.Id);
        return new Finding(rule, meter.Id.Value, severity, meter.Id.Value, building.Id, institution.Id, since, evidence, summary, action);
    }

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "N0" : "0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Complete hours only: an hour still running would look like a fall in use.</summary>
    public static IEnumerable<RollupRow> Complete(IEnumerable<RollupRow> rows, DateTimeOffset asOf) => rows.Where(r => r.Start.AddHours(1) <= asOf);
}
