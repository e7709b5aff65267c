using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Analytics.Conversion;

/// <summary>An amount in standard coal and CO2, with the set it was converted by and what it could not convert.</summary>
public sealed record Converted(Quantity<Kgce> Kgce, Quantity<KgCo2> Co2, string SetId, IReadOnlyList<EnergyKind> WithoutKgceFactor, IReadOnlyList<EnergyKind> WithoutCo2Factor)
{
    public Quantity<Tce> Tce => Kgce.To<Tce>();
}

/// <summary>Amounts of energy in their canonical units into kgce and kgCO2. Pure.</summary>
public static class EnergyConversion
{
    /// <summary>
    /// Converts use per kind. Water is a resource, not energy: it is never counted in 综合能耗. A kind the set has
    /// no factor for is left out and named, so that a report can say so rather than silently count it as zero.
    /// </summary>
    public static Converted Convert(IReadOnlyDictionary<EnergyKind, double> amounts, CoefficientSet set)
    {
        double kgce = 0, co2 = 0;
        var noKgce = new List<EnergyKind>();
        var noCo2 = new List<EnergyKind>();
        foreach (var (kind, amount) in amounts.OrderBy(a => a.Key))
        {
            if (kind == EnergyKind.Water || amount == 0)
            {
                continue;
            }

            if (set.Kgce(kind) is { } k)
            {
                kgce += amount * k.PerUnit;
            }
            else
            {
                noKgce.Add(kind);
            }

            if (set.Co2PerUnit.GetValueOrDefault(kind) is { } c)
            {
                co2 += amount * c.PerUnit;
            }
            else
            {
                noCo2.Add(kind);
            }
        }

        return new Converted(new Quantity<Kgce>(kgce), new Quantity<KgCo2>(co2), set.Id, noKgce, noCo2);
    }
}
