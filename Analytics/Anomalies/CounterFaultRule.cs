using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// A counter that fell without a recorded replacement (a reset, flagged by the consumption engine), or one that sent
/// bad readings three times or more in the last 24 hours (each skipped, and a sign the device or its line is failing).
/// </summary>
public sealed class CounterFaultRule : IAnomalyRule
{
    public string Id => "counter-fault";

    public int BadReadingsPerDay { get; init; } = 3;

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var dayAgo = input.AsOf.AddHours(-24);
        foreach (var meter in input.Site.Meters.Where(m => !m.IsGauge && input.Options.Enabled(Id, m.Id.Value)))
        {
            var recent = Findings.Complete(input.HourlyOf(meter.Id.Value), input.AsOf).Where(r => r.Start >= dayAgo).ToList();
            if (recent.FirstOrDefault(r => r.Flags.HasFlag(IntervalFlags.Reset)) is { Series: not null } reset)
            {
                yield return Findings.ForMeter(input, Id, meter, AlertSeverity.Warning, reset.Start,
                    [new Evidence(EvidenceNames.CounterResets, recent.Count(r => r.Flags.HasFlag(IntervalFlags.Reset)), "", "0")],
                    new LocalizedText($"{meter.Name}（{meter.Id}）读数在 {input.Local(reset.Start):MM-dd HH}时回落（清零），且未登记换表", $"{meter.Name} ({meter.Id}) fell back at {input.Local(reset.Start):MM-dd HH}:00 with no replacement recorded"),
                    new LocalizedText("若表计已更换或清零，请在站点配置 replacements 中登记旧表末读数和新表初读数，然后执行 rollup --from 重算。", "If the meter was replaced or reset, record the old final and new initial readings under replacements in the site file, then run rollup --from to recompute."));
                continue;
            }

            var bad = recent.Count(r => r.Flags.HasFlag(IntervalFlags.Unavailable));
            if (bad >= BadReadingsPerDay)
            {
                yield return Findings.ForMeter(input, Id, meter, AlertSeverity.Info, recent.First(r => r.Flags.HasFlag(IntervalFlags.Unavailable)).Start,
                    [new Evidence(EvidenceNames.HoursWithBadReadings, bad, "h", $"< {BadReadingsPerDay}")],
                    new LocalizedText($"{meter.Name}（{meter.Id}）24 小时内有 {bad} 个小时出现无效读数（已剔除）", $"{meter.Name} ({meter.Id}) sent bad readings in {bad} hours of the last 24 (skipped)"),
                    new LocalizedText("请检查通信线屏蔽与接地、终端电阻和网关的超时设置。", "Check the bus cable's shielding and grounding, its termination and the gateway's timeouts."));
            }
        }
    }
}
