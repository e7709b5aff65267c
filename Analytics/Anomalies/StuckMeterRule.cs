using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Stuck: readings keep arriving but the counter stands still, for longer than the meter ever stood still in its
/// learning window (at least 6 h), while its parent, siblings or children show use through those hours — or, for a
/// meter with none, while its own history says it always runs then.
/// </summary>
public sealed class StuckMeterRule : IAnomalyRule
{
    public string Id => "stuck";

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        foreach (var meter in input.Site.Meters.Where(m => !m.IsGauge && input.Options.Enabled(Id, m.Id.Value)))
        {
            var rows = Findings.Complete(input.HourlyOf(meter.Id.Value), input.AsOf).ToList();

            // The newest hours must be there: a meter without them is silent, which is the other rule's finding.
            if (rows.Count < 48 || rows[^1].Start < input.AsOf.AddHours(-3))
            {
                continue;
            }

            var run = 0;
            while (run < rows.Count && rows[rows.Count - 1 - run].Amount <= 0)
            {
                run++;
            }

            if (run == 0)
            {
                continue;
            }

            var history = rows.Take(rows.Count - run).ToList();
            var longestBefore = LongestZeroRun(history);
            var limit = input.Options.For(meter.Id.Value)?.StuckAfterHours ?? Math.Max(input.Options.StuckMinimumHours, longestBefore + 1);
            if (run < limit)
            {
                continue;
            }

            var runStart = rows[^run].Start;
            var related = Related(input.Site, meter);
            double share;
            LocalizedText basis;
            if (related.Count > 0)
            {
                var hoursWithUse = rows.Skip(rows.Count - run).Count(r => related.Any(s => Used(input, s, r.Start)));
                share = (double)hoursWithUse / run;
                basis = EvidenceNames.HoursWithUseOfRelatedMeters;
            }
            else
            {
                // No relations to compare with: the meter's own history must say it always uses something.
                share = history.Count == 0 ? 0 : (double)history.Count(r => r.Amount > 0) / history.Count;
                basis = EvidenceNames.HoursWithUseInOwnHistory;
            }

            if (share < 0.8)
            {
                continue;
            }

            yield return Findings.ForMeter(input, Id, meter, AlertSeverity.Warning, runStart,
                [
                    new Evidence(EvidenceNames.FlatHours, run, "h", $"< {limit}"),
                    new Evidence(basis, Math.Round(share * 100, 1), "%"),
                ],
                new LocalizedText($"{meter.Name}（{meter.Id}）读数已连续 {run} 小时不变，而关联表计仍在计量用量", $"{meter.Name} ({meter.Id}) has not moved for {run} h while related meters show use"),
                new LocalizedText("表计可能卡死或采集到的是缓存值：请现场核对表盘读数，检查脉冲/通信模块。", "The register may be stuck or the gateway may serve a cached value: compare with the meter's display and check its pulse or communication module."));
        }
    }

    private static bool Used(AnomalyInput input, string series, DateTimeOffset hour)
    {
        var rows = input.HourlyOf(series);
        var lo = 0;
        var hi = rows.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var c = rows[mid].Start.CompareTo(hour);
            if (c == 0)
            {
                return rows[mid].Amount > 0;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return false;
    }

    private static List<string> Related(SiteModel site, Meter meter)
    {
        var same = site.Meters.Where(m => m.Id != meter.Id && m.Kind == meter.Kind).ToList();
        return same.Where(m => m.Id == meter.Parent || m.Parent == meter.Id || (meter.Parent is not null && m.Parent == meter.Parent))
            .Select(m => m.Id.Value).ToList();
    }

    private static int LongestZeroRun(List<RollupRow> rows)
    {
        var longest = 0;
        var current = 0;
        foreach (var row in rows)
        {
            current = row.Amount <= 0 ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }
}
