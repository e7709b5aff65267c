using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Costs;

/// <summary>A time-of-use band of an electricity tariff: its price and the local hours it covers.</summary>
public sealed record TouBand(string Name, double Price, IReadOnlySet<int> Hours);

/// <summary>
/// The price of one energy kind from a date on (元 per unit of the kind's statistical unit): flat, or by time-of-use
/// bands for electricity. A later tariff of the same kind replaces it from its own date.
/// </summary>
public sealed record Tariff(EnergyKind Kind, DateOnly From, double? Price, IReadOnlyList<TouBand> Bands, string Source)
{
    public bool IsTimeOfUse => Bands.Count > 0;

    /// <summary>The price at a local hour: the band's for a time-of-use tariff, else the flat price.</summary>
    public double PriceAt(int hour) => IsTimeOfUse ? Bands.First(b => b.Hours.Contains(hour)).Price : Price ?? 0;
}

/// <summary>The configured tariffs, and the cost of use by them. Pure.</summary>
public sealed class TariffBook(IReadOnlyList<Tariff> tariffs)
{
    public static TariffBook Empty { get; } = new([]);

    public IReadOnlyList<Tariff> All => tariffs;

    /// <summary>The tariff of a kind on a day; null when none is configured from that day or before.</summary>
    public Tariff? For(EnergyKind kind, DateOnly day) =>
        tariffs.Where(t => t.Kind == kind && t.From <= day).MaxBy(t => t.From);

    /// <summary>
    /// The cost in 元 of a kind's rows (hourly rows for a time-of-use tariff, daily or hourly otherwise), each priced by
    /// the tariff valid on its local day; null when any row's day has no tariff. A day or month row under a time-of-use
    /// tariff is priced at the bands' mean, and <paramref name="approximated"/> says so.
    /// </summary>
    public double? Cost(EnergyKind kind, IEnumerable<RollupRow> rows, TimeZoneInfo zone, out bool approximated)
    {
        approximated = false;
        var total = 0.0;
        foreach (var row in rows)
        {
            var local = TimeZoneInfo.ConvertTime(row.Start, zone).DateTime;
            if (For(kind, DateOnly.FromDateTime(local)) is not { } tariff)
            {
                return null;
            }

            if (tariff.IsTimeOfUse && row.Period != RollupPeriod.Hour)
            {
                approximated = true;
                total += row.Amount * Enumerable.Range(0, 24).Average(tariff.PriceAt);
            }
            else
            {
                total += row.Amount * tariff.PriceAt(local.Hour);
            }
        }

        return total;
    }
}
