using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>The night-flow leak rule as an alert: a run of leak nights that includes the last complete night.</summary>
public sealed class LeakRule : IAnomalyRule
{
    public string Id => "night-leak";

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var options = input.Options.Leak;
        var local = input.Local(input.AsOf);
        var lastNight = DateOnly.FromDateTime(local).AddDays(local.Hour >= options.NightEndHour ? 0 : -1);
        foreach (var meter in input.Site.Meters.Where(m => m.Kind == EnergyKind.Water && input.Options.Enabled(Id, m.Id.Value)))
        {
            var hourly = Findings.Complete(input.HourlyOf(meter.Id.Value), input.AsOf).ToList();
            var leaks = NightLeakRule.Evaluate(meter.Id.Value, hourly, input.Zone, options);
            if (leaks.Count > 0 && leaks[^1].LastNight == lastNight)
            {
                yield return Finding(input, meter, leaks[^1]);
            }
        }
    }

    private Finding Finding(AnomalyInput input, Meter meter, LeakFinding leak)
    {
        var since = Rollups.RollupPeriods.Local(leak.FirstNight.ToDateTime(new TimeOnly(input.Options.Leak.NightStartHour, 0)), input.Zone);
        var severity = leak.NightMinima.Min() > 10 * leak.Threshold ? AlertSeverity.Critical : AlertSeverity.Warning;
        return Findings.ForMeter(input, Id, meter, severity, since,
            [
                new Evidence(EvidenceNames.Nights, leak.NightMinima.Count, "", $"< {input.Options.Leak.Nights}"),
                new Evidence(EvidenceNames.LowestNightFlow, Math.Round(leak.NightMinima.Min(), 4), "m3/h", $"≤ {leak.Threshold:0.####}"),
                new Evidence(EvidenceNames.LastNightMinimumFlow, Math.Round(leak.NightMinima[^1], 4), "m3/h", $"≤ {leak.Threshold:0.####}"),
            ],
            new LocalizedText($"{meter.Name}（{meter.Id}）疑似漏水：{leak.FirstNight:MM-dd} 起连续 {leak.NightMinima.Count} 晚夜间最小流量不低于 {leak.NightMinima.Min():0.###} m³/h",
                $"{meter.Name} ({meter.Id}) may be leaking: {leak.NightMinima.Count} nights since {leak.FirstNight:MM-dd} with night flow never below {leak.NightMinima.Min():0.###} m³/h"),
            new LocalizedText(leak.SuggestedAction, "Check cisterns, valves and buried pipes; with all water use off at night, see whether the meter still turns."));
    }
}
