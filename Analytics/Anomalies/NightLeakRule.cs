using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>When a night counts as a leak night, and for how many nights in a row before a building manager is told.</summary>
/// <param name="NightStartHour">First local hour of the night window (01:00 by default: after late cleaning, before early staff).</param>
/// <param name="NightEndHour">Local hour the window ends, exclusive (05:00).</param>
/// <param name="Nights">Consecutive nights whose minimum flow stays above the threshold (3).</param>
/// <param name="FloorPerHour">The least flow that counts, in m³/h, whatever the history: 0.01 m³/h is 10 L/h, a running cistern.</param>
/// <param name="LearningNights">Nights of the meter's own history the threshold is learned from (30).</param>
public sealed record NightLeakOptions(int NightStartHour = 1, int NightEndHour = 5, int Nights = 3, double FloorPerHour = 0.01, int LearningNights = 30);

/// <summary>A suspected leak: the nights that showed it, with the numbers a building manager can check.</summary>
/// <param name="NightMinima">Each night's lowest hourly flow, m³/h, oldest first.</param>
/// <param name="Threshold">The flow above which a night counted, m³/h: the meter's usual night minimum, or the floor.</param>
public sealed record LeakFinding(string Series, DateOnly FirstNight, DateOnly LastNight, IReadOnlyList<double> NightMinima, double Threshold)
{
    /// <summary>What to do, in plain Chinese, for the alert.</summary>
    public string SuggestedAction =>
        $"疑似漏水：{FirstNight:MM-dd} 起连续 {NightMinima.Count} 晚夜间最小流量 {NightMinima.Min():0.###} m³/h，高于正常的 {Threshold:0.###} m³/h。" +
        "请检查卫生间水箱、阀门和地下管道，并在夜间关闭用水设备后查看水表是否仍在走字。";
}

/// <summary>
/// The night-flow leak rule (docs/DOMAIN.md#anomalies): water that never stops at night. A night's minimum hourly
/// flow over the night window is compared with what the meter usually shows at night — learned from its own
/// previous nights (their lower quartile, so that a leak already running does not teach itself as normal) — and with
/// an absolute floor; the rule fires when that many nights in a row stay above. Pure: hourly rollups in, findings out.
/// </summary>
public static class NightLeakRule
{
    /// <param name="hourly">One meter's hourly rollups, local hour starts, in time order; hours without a row had no data.</param>
    public static IReadOnlyList<LeakFinding> Evaluate(string series, IReadOnlyList<RollupRow> hourly, TimeZoneInfo zone, NightLeakOptions options)
    {
        var nights = NightMinima(hourly, zone, options);
        var findings = new List<LeakFinding>();
        var run = new List<(DateOnly Night, double Minimum)>();
        var threshold = 0.0;
        for (var i = 0; i < nights.Count; i++)
        {
            var (night, minimum) = nights[i];
            if (minimum is not { } flow)
            {
                Close();
                continue;
            }

            var history = nights.Take(i).Skip(Math.Max(0, i - options.LearningNights)).Where(n => n.Minimum is not null).Select(n => n.Minimum!.Value).ToList();
            var limit = Math.Max(options.FloorPerHour, LowerQuartile(history) * 2);
            if (flow > limit)
            {
                threshold = run.Count == 0 ? limit : threshold;
                run.Add((night, flow));
            }
            else
            {
                Close();
            }
        }

        Close();
        return findings;

        void Close()
        {
            if (run.Count >= options.Nights)
            {
                findings.Add(new LeakFinding(series, run[0].Night, run[^1].Night, [.. run.Select(r => r.Minimum)], threshold));
            }

            run.Clear();
        }
    }

    /// <summary>Each local night's minimum hourly flow; null for a night whose window is not complete.</summary>
    public static List<(DateOnly Night, double? Minimum)> NightMinima(IReadOnlyList<RollupRow> hourly, TimeZoneInfo zone, NightLeakOptions options)
    {
        var byNight = new SortedDictionary<DateOnly, List<double>>();
        foreach (var row in hourly)
        {
            var local = TimeZoneInfo.ConvertTime(row.Start, zone);
            if (local.Hour >= options.NightStartHour && local.Hour < options.NightEndHour)
            {
                var night = DateOnly.FromDateTime(local.Date);
                if (!byNight.TryGetValue(night, out var flows))
                {
                    flows = [];
                    byNight[night] = flows;
                }

                flows.Add(row.Amount);
            }
        }

        var hours = options.NightEndHour - options.NightStartHour;
        var result = new List<(DateOnly, double?)>();
        if (byNight.Count == 0)
        {
            return result;
        }

        // Every night from the first to the last, so that a night without data breaks a run instead of being skipped.
        for (var night = byNight.Keys.First(); night <= byNight.Keys.Last(); night = night.AddDays(1))
        {
            result.Add((night, byNight.TryGetValue(night, out var flows) && flows.Count >= hours ? flows.Min() : null));
        }

        return result;
    }

    private static double LowerQuartile(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values[(values.Count - 1) / 4];
    }
}
