using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Spikes in the last 24 hours: a delta the consumption engine rejected as above the meter's physical maximum, or an
/// hour far above anything the meter used at that hour of day in its learning window and far above the hours around
/// it (a short burst, not a season turning: a chiller starting for the summer lifts whole days, not one hour).
/// </summary>
public sealed class SpikeRule : IAnomalyRule
{
    public string Id => "spike";

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var dayAgo = input.AsOf.AddHours(-24);
        foreach (var meter in input.Site.Meters.Where(m => !m.IsGauge && input.Options.Enabled(Id, m.Id.Value)))
        {
            var rows = Findings.Complete(input.HourlyOf(meter.Id.Value), input.AsOf).ToList();
            var recent = rows.FindIndex(r => r.Start >= dayAgo);
            if (recent < 0)
            {
                continue;
            }

            var rejected = rows.Skip(recent).Where(r => r.Rejected > 0).ToList();
            if (rejected.Count > 0)
            {
                var total = rejected.Sum(r => r.Rejected);
                yield return Findings.ForMeter(input, Id, meter, AlertSeverity.Warning, rejected[0].Start,
                    [new Evidence(EvidenceNames.RejectedUse, Math.Round(total, 3), meter.CanonicalUnit.Symbol, meter.MaxPerHour is { } max ? $"≤ {Findings.Number(max)} per hour" : null)],
                    new LocalizedText($"{meter.Name}（{meter.Id}）出现超过物理上限的跳变 {Findings.Number(total)} {meter.CanonicalUnit.Symbol}，已剔除未计入用量", $"{meter.Name} ({meter.Id}) jumped by {Findings.Number(total)} {meter.CanonicalUnit.Symbol}, above its physical maximum; it was kept out of consumption"),
                    new LocalizedText("请核对表盘读数与互感器变比；若表计被更换，请在站点配置中登记更换记录后重算。", "Check the meter's display and its transformer ratios; if the meter was replaced, record the replacement in the site file and recompute."));
                continue;
            }

            var limitOverride = input.Options.For(meter.Id.Value)?.SpikeAbove;
            var maxByHour = new double[24];
            var seen = new bool[24];
            foreach (var row in rows.Take(recent))
            {
                var h = input.Local(row.Start).Hour;
                maxByHour[h] = Math.Max(maxByHour[h], row.Amount);
                seen[h] = true;
            }

            for (var i = recent; i < rows.Count; i++)
            {
                var row = rows[i];
                var h = input.Local(row.Start).Hour;
                var around = rows.Skip(Math.Max(0, i - 3)).Take(7).Where(r => r.Start != row.Start).Select(r => r.Amount).ToList();
                var limit = limitOverride ?? (seen[h] && maxByHour[h] > 0 ? input.Options.SpikeFactor * maxByHour[h] : double.PositiveInfinity);
                // A catch-up after the meter was silent or frozen holds hours of use in one: the silent, gateway and
                // stuck rules report those; it is not a burst.
                var catchUp = (row.Flags & (IntervalFlags.LongGap | IntervalFlags.Stuck)) != 0;
                if (!catchUp && row.Amount > limit && around.Count > 0 && row.Amount > 3 * Robust.Median(around))
                {
                    yield return Findings.ForMeter(input, Id, meter, AlertSeverity.Warning, row.Start,
                        [new Evidence(EvidenceNames.HourlyUse, Math.Round(row.Amount, 3), meter.CanonicalUnit.Symbol, $"≤ {Findings.Number(limit)}")],
                        new LocalizedText($"{meter.Name}（{meter.Id}）{input.Local(row.Start):MM-dd HH}时用量 {Findings.Number(row.Amount)} {meter.CanonicalUnit.Symbol}，远高于该时段历史最高值", $"{meter.Name} ({meter.Id}) used {Findings.Number(row.Amount)} {meter.CanonicalUnit.Symbol} in the hour from {input.Local(row.Start):MM-dd HH}:00, far above that hour's history"),
                        new LocalizedText("请确认是否有大功率设备异常运行，或表计读数受到干扰。", "Check for equipment running abnormally, or interference on the meter's readings."));
                    break;
                }
            }
        }
    }
}
