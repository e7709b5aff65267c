using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// Month-to-date budget: an institution's comprehensive energy (kgce) so far this month, plus the rest of the month
/// at the last seven days' pace, against the month's share of its annual quota (annualEnergyQuotaKgce). The share is
/// by days unless monthly shares are configured. A forecast overrun is a warning; an overrun already spent is critical.
/// </summary>
public sealed class BudgetRule : IAnomalyRule
{
    public string Id => "budget";

    /// <summary>Each month's share of the annual quota, January first; null shares by days.</summary>
    public IReadOnlyList<double>? MonthlyShares { get; init; }

    public IEnumerable<Finding> Evaluate(AnomalyInput input)
    {
        var day = input.LastCompleteDay;
        if (day.Day < input.Options.BudgetFromDay)
        {
            yield break;
        }

        var first = new DateOnly(day.Year, day.Month, 1);
        var daysInMonth = DateTime.DaysInMonth(day.Year, day.Month);
        foreach (var institution in input.Site.Institutions)
        {
            var series = SeriesKey.Budget(institution.Id).Text;
            if (institution.Targets?.AnnualEnergyQuota is not { } quota || !input.Options.Enabled(Id, series))
            {
                continue;
            }

            var daily = new SortedDictionary<DateOnly, Dictionary<EnergyKind, double>>();
            foreach (var kind in EnergyKinds.Consumed)
            {
                foreach (var row in input.Daily.GetValueOrDefault(SeriesGroups.Kind(SeriesScope.Institution, institution.Id, kind)) ?? [])
                {
                    var d = DateOnly.FromDateTime(input.Local(row.Start));
                    if (d >= first.AddDays(-7) && d <= day)
                    {
                        (daily.TryGetValue(d, out var k) ? k : daily[d] = [])[kind] = row.Amount;
                    }
                }
            }

            var kgce = daily.ToDictionary(d => d.Key, d => EnergyConversion.Convert(d.Value, input.Coefficients).Kgce.Value);
            var spent = kgce.Where(d => d.Key >= first).Sum(d => d.Value);
            var pace = kgce.Where(d => d.Key > day.AddDays(-7)).Select(d => d.Value).DefaultIfEmpty(0).Average();
            var forecast = spent + (pace * (daysInMonth - day.Day));
            var share = MonthlyShares is { Count: 12 } shares ? shares[day.Month - 1] / shares.Sum() : daysInMonth / (DateTime.IsLeapYear(day.Year) ? 366.0 : 365.0);
            var budget = quota.Value * share;
            if (forecast <= budget)
            {
                continue;
            }

            var severity = spent > budget ? AlertSeverity.Critical : AlertSeverity.Warning;
            var since = RollupPeriods.Local(first.ToDateTime(TimeOnly.MinValue), input.Zone);
            var drivers = Drivers(input, institution, day, forecast - budget).Where(d => d.Share >= 0.05).Take(3).ToList();
            var summary = new LocalizedText($"{institution.Name} {day:yyyy-MM} 月能耗预计 {forecast:N0} kgce，超出月度额度 {budget:N0} kgce（已用 {spent:N0} kgce）",
                $"{institution.Name} is on course for {forecast:N0} kgce in {day:yyyy-MM}, above its monthly budget of {budget:N0} kgce ({spent:N0} kgce spent)");
            summary = !institution.Buildings.SelectMany(b => b.Meters).Any(m => m.Parent is not null)
                ? new LocalizedText(summary.Zh + "；无分项计量，无法定位到回路", summary.En + "; no sub-metering to locate the circuit")
                : drivers.Count > 0
                    ? new LocalizedText(summary.Zh + "；超出主要来自" + string.Join("、", drivers.Select(d => $"{d.Meter.Name}（{d.Share:P0}）")),
                        summary.En + "; the excess comes mostly from " + string.Join(", ", drivers.Select(d => $"{d.Meter.Name} ({d.Share:P0})")))
                    : summary;

            // The alert stays on the institution, whose month it is: a driver named one day and another the next must
            // not close one alert and open another. The drivers are in its text and evidence.
            yield return new Finding(Id, series, severity, null, null, institution.Id, since,
                [
                    new Evidence(EvidenceNames.MonthToDate, Math.Round(spent), "kgce"),
                    new Evidence(EvidenceNames.ForecastForMonth, Math.Round(forecast), "kgce", $"≤ {budget:N0}"),
                    new Evidence(EvidenceNames.MonthlyBudget, Math.Round(budget), "kgce"),
                    .. drivers.Select(d => new Evidence(EvidenceNames.ShareOfExcess(d.Meter.Id.Value), Math.Round(d.Share, 3), "")),
                ],
                summary,
                new LocalizedText("请分析近期用能增长原因（空调、食堂、加班），并通知各部门采取节能措施。", "Find what drove the recent rise (air conditioning, kitchen, overtime) and ask each department to save."));
        }
    }

    /// <summary>
    /// What drives the month past its budget: each meter's own use (less its sub-meters', so that the parts add up to
    /// the institution), in kgce, above its usual daily level (the median of its days before the last seven) over the
    /// month at the last seven days' pace, shared by <see cref="ExcessShares"/>. Largest first.
    /// </summary>
    private static List<(Core.Site.Meter Meter, double Share)> Drivers(AnomalyInput input, Core.Site.Institution institution, DateOnly day, double overrun)
    {
        var meters = institution.Buildings.SelectMany(b => b.Meters).Where(m => !m.IsGauge && input.Coefficients.Kgce(m.Kind) is not null).ToList();
        Dictionary<DateOnly, double> Daily(Core.Site.Meter m) => input.HourlyOf(m.Id.Value).GroupBy(r => DateOnly.FromDateTime(input.Local(r.Start)))
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Amount) * input.Coefficients.Kgce(m.Kind)!.PerUnit);
        var daily = meters.ToDictionary(m => m.Id, Daily);
        var first = new DateOnly(day.Year, day.Month, 1);
        var daysInMonth = DateTime.DaysInMonth(day.Year, day.Month);
        var parts = new List<(Core.Site.Meter Meter, double Above)>();
        foreach (var meter in meters)
        {
            var own = daily[meter.Id].ToDictionary(d => d.Key, d => d.Value - meters.Where(c => c.Parent == meter.Id).Sum(c => daily[c.Id].GetValueOrDefault(d.Key)));
            var usual = own.Where(d => d.Key <= day.AddDays(-7)).Select(d => d.Value).ToList();
            if (usual.Count < 7)
            {
                continue;
            }

            var pace = own.Where(d => d.Key > day.AddDays(-7) && d.Key <= day).Select(d => d.Value).DefaultIfEmpty(0).Average();
            var monthToDate = own.Where(d => d.Key >= first && d.Key <= day).Sum(d => d.Value);
            parts.Add((meter, monthToDate + (pace * (daysInMonth - day.Day)) - (Robust.Median(usual) * daysInMonth)));
        }

        return [.. ExcessShares.Of(overrun, parts).Where(p => p.Share > 0)];
    }
}
