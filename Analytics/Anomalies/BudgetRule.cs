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
            yield return new Finding(Id, series, severity, null, null, institution.Id, since,
                [
                    new Evidence(EvidenceNames.MonthToDate, Math.Round(spent), "kgce"),
                    new Evidence(EvidenceNames.ForecastForMonth, Math.Round(forecast), "kgce", $"≤ {budget:N0}"),
                    new Evidence(EvidenceNames.MonthlyBudget, Math.Round(budget), "kgce"),
                ],
                new LocalizedText($"{institution.Name} {day:yyyy-MM} 月能耗预计 {forecast:N0} kgce，超出月度额度 {budget:N0} kgce（已用 {spent:N0} kgce）",
                    $"{institution.Name} is on course for {forecast:N0} kgce in {day:yyyy-MM}, above its monthly budget of {budget:N0} kgce ({spent:N0} kgce spent)"),
                new LocalizedText("请分析近期用能增长原因（空调、食堂、加班），并通知各部门采取节能措施。", "Find what drove the recent rise (air conditioning, kitchen, overtime) and ask each department to save."));
        }
    }
}
