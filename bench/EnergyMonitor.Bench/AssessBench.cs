using System.Diagnostics;
using EnergyMonitor.Analytics.Assessment;

namespace EnergyMonitor.Bench;

/// <summary>
/// One building's assessment: the CalTRACK daily fit over every balance-point pair on two years of daily data, then
/// the savings of the second year against the first year's model. Issue 12's goal: under 1 s.
/// </summary>
internal static class AssessBench
{
    public static void Run(int runs)
    {
        var random = new Random(42);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var start = new DateOnly(2024, 1, 1);
        var days = Enumerable.Range(0, 731).Select(d =>
        {
            var t = 16 - (13 * Math.Cos(2 * Math.PI * (d - 15) / 365.0)) + (3 * Gaussian());
            var use = 100 + (8 * DegreeDays.Heating(t, 14)) + (12 * DegreeDays.Cooling(t, 20)) + (5 * Gaussian());
            return new DailyUse(start.AddDays(d), use, t);
        }).ToList();

        // The first run pays for JIT compilation; it is reported apart.
        var times = new List<double>();
        BaselineModel? model = null;
        for (var i = 0; i <= runs; i++)
        {
            var clock = Stopwatch.StartNew();
            model = CalTrackDaily.Fit(days[..366], isElectricity: true).Model!;
            _ = SavingsCalculator.Compute(model, days[366..]);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        var steady = times.Skip(1).Order().ToList();
        Console.WriteLine($"assessment of one building, 2 years daily, {CalTrackDaily.BalancePoints.Count} balance points ({model!.Type}): first run {times[0]:F1} ms, median of {runs} {steady[steady.Count / 2]:F1} ms, max {steady[^1]:F1} ms");
    }
}
