using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Sub-metering drift: a parent meter's unmetered share, (parent − Σ children) ÷ parent per day, moving away from its
/// learned median by more than 5 points and 4 MADs on the last two complete days; or the children together exceeding
/// their parent by more than 2 % on the last day, which no wiring allows (a wrong ratio, a meter on the wrong feeder).
/// </summary>
public sealed class SubmeterImbalanceRule : IAnomalyRule
{
    public string Id => "submeter-imbalance";

    /// <summary>Children may read this much above their parent (meter class tolerances) before it is impossible.</summary>
    public double ChildrenExcess { get; init; } = 0.02;

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var day = input.LastCompleteDay;
        foreach (var parent in input.Site.Meters.Where(m => !m.IsGauge && input.Options.Enabled(Id, m.Id.Value)))
        {
            var children = input.Site.Meters.Where(c => c.Parent == parent.Id && c.Kind == parent.Kind).ToList();
            if (children.Count == 0)
            {
                continue;
            }

            var parentDays = DailyProfile.Days(input, input.HourlyOf(parent.Id.Value), day).ToDictionary(d => d.Day, d => d.Total);
            var childDays = children.Select(c => DailyProfile.Days(input, input.HourlyOf(c.Id.Value), day).ToDictionary(d => d.Day, d => d.Total)).ToList();
            var shares = new SortedDictionary<DateOnly, (double Share, double Parent, double Children)>();
            foreach (var (d, p) in parentDays)
            {
                if (p > 0 && childDays.All(c => c.ContainsKey(d)))
                {
                    var sum = childDays.Sum(c => c[d]);
                    shares[d] = ((p - sum) / p, p, sum);
                }
            }

            if (!shares.TryGetValue(day, out var last) || !shares.TryGetValue(day.AddDays(-1), out var before))
            {
                continue;
            }

            if (last.Children > last.Parent * (1 + ChildrenExcess))
            {
                yield return Make(input, parent, children, day, last, null, AlertSeverity.Warning);
                continue;
            }

            // The unmetered share differs between working days and days off (a feeder's own losses and standing loads
            // weigh more when the sub-metered equipment rests), so each day is judged against days of its own type.
            var lastRange = Expected(input, shares, day);
            var beforeRange = Expected(input, shares, day.AddDays(-1));
            if (lastRange is { } r1 && beforeRange is { } r2 && Outside(last.Share, r1) is var side1 && side1 != 0 && side1 == Outside(before.Share, r2))
            {
                yield return Make(input, parent, children, day, last, r1, AlertSeverity.Info);
            }
        }
    }

    /// <summary>The learned range of a day's share from earlier days of its type (before the two days judged); null with too few.</summary>
    private static (double Low, double High)? Expected(AnomalyInput input, SortedDictionary<DateOnly, (double Share, double Parent, double Children)> shares, DateOnly day)
    {
        var working = input.Calendar.IsWorkingDay(day);
        var history = shares.Where(s => s.Key < input.LastCompleteDay.AddDays(-1) && input.Calendar.IsWorkingDay(s.Key) == working).Select(s => s.Value.Share).ToList();
        if (history.Count < (working ? 7 : 4))
        {
            return null;
        }

        var median = Robust.Median(history);
        var margin = Math.Max(input.Options.ImbalanceShare, 4 * Robust.Mad(history, median));
        return (median - margin, median + margin);
    }

    private static int Outside(double share, (double Low, double High) range) => share > range.High ? 1 : share < range.Low ? -1 : 0;

    private Finding Make(AnomalyInput input, Meter parent, List<Meter> children, DateOnly day, (double Share, double Parent, double Children) last, (double Low, double High)? expected, AlertSeverity severity)
    {
        var since = Rollups.RollupPeriods.Local(day.ToDateTime(TimeOnly.MinValue), input.Zone);
        var range = expected is { } e ? $"{e.Low:P1} … {e.High:P1}" : $"≥ {-ChildrenExcess:P0}";
        var unit = parent.CanonicalUnit.Symbol;
        return Findings.ForMeter(input, Id, parent, severity, since,
            [
                new Evidence(EvidenceNames.Parent, Math.Round(last.Parent, 2), unit),
                new Evidence(EvidenceNames.Children, Math.Round(last.Children, 2), unit),
                new Evidence(EvidenceNames.UnmeteredShare, Math.Round(last.Share, 4), "", range),
            ],
            new LocalizedText($"{parent.Name}（{parent.Id}）与其 {children.Count} 块分表不平衡：{day:MM-dd} 未分项计量占 {last.Share:P1}，正常 {range}",
                $"{parent.Name} ({parent.Id}) and its {children.Count} sub-meters disagree: unmetered share {last.Share:P1} on {day:MM-dd}, usual {range}"),
            new LocalizedText("请检查分表是否停走或掉线、互感器变比是否正确，以及是否新增了未计量的负荷。", "Check whether a sub-meter stopped or dropped out, whether the transformer ratios are right, and whether an unmetered load was added."));
    }
}
