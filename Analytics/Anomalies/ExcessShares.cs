namespace EnergyMonitor.Analytics.Anomalies;

/// <summary>
/// How a whole's excess is shared among its parts, each by its own use above its usual level: as a share of the larger
/// of the whole's excess and the parts' sum, so that one part's drift cannot claim an excess another part made. Used
/// by the baseload rules (a building's circuits and its unmetered remainder) and the budget (an institution's meters).
/// Pure.
/// </summary>
internal static class ExcessShares
{
    /// <returns>Every part with its share (a part below its usual level has none), largest first.</returns>
    public static List<(T Part, double Share)> Of<T>(double excess, IEnumerable<(T Part, double Above)> parts)
    {
        var above = parts.Select(p => (p.Part, Above: Math.Max(0, p.Above))).ToList();
        var total = Math.Max(excess, above.Sum(p => p.Above));
        return [.. above.Select(p => (p.Part, Share: total > 0 ? p.Above / total : 0)).OrderByDescending(p => p.Share)];
    }
}
