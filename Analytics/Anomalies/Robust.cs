namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>Statistics that a single bad day cannot drag: the median and the median absolute deviation.</summary>
internal static class Robust
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Mad(IReadOnlyCollection<double> values, double median) => Median(values.Select(v => Math.Abs(v - median)));
}
