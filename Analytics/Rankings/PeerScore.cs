namespace EnergyMonitor.Analytics.Rankings;

/// <summary>
/// A 1–100 score against peers in the spirit of ENERGY STAR Portfolio Manager's: the share of the peers that use
/// more, so that 75 means "uses less than three in four of its peers". Portfolio Manager compares with a national
/// survey (CBECS); here the peers are the site's own institutions of the same 单位性质 and climate zone, which is a
/// far smaller and local group, and every page that shows the score says how many peers it had (docs/DOMAIN.md).
/// Pure.
/// </summary>
public static class PeerScore
{
    /// <summary>Fewer peers than this (the institution included) give no score: one other is a comparison, not a distribution.</summary>
    public const int MinimumPeers = 3;

    /// <summary>
    /// The score of <paramref name="value"/> among <paramref name="peers"/> (which include it): 100 × (peers that use
    /// more + half of those that use the same, itself left out) ÷ (peers − 1), rounded, at least 1. Lower use scores
    /// higher. Null with fewer than <see cref="MinimumPeers"/> or a value that is not finite.
    /// </summary>
    public static int? Of(double value, IReadOnlyList<double> peers)
    {
        var finite = peers.Where(double.IsFinite).ToList();
        if (!double.IsFinite(value) || finite.Count < MinimumPeers)
        {
            return null;
        }

        var more = finite.Count(p => p > value);
        var same = finite.Count(p => p == value) - 1; // itself
        var share = (more + (0.5 * Math.Max(0, same))) / (finite.Count - 1);
        return Math.Max(1, (int)Math.Round(100 * share, MidpointRounding.AwayFromZero));
    }

    /// <summary>Competition ranks (1, 2, 2, 4) of <paramref name="values"/>, lowest first; null values rank last, unranked.</summary>
    public static IReadOnlyList<int?> Ranks(IReadOnlyList<double?> values) =>
        [.. values.Select(v => v is { } x && double.IsFinite(x) ? 1 + values.Count(o => o is { } y && double.IsFinite(y) && y < x) : (int?)null)];
}
