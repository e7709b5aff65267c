using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Core.Domain;

/// <summary>What a meter measures. The statistical submission reports each kind in its own unit.</summary>
public enum EnergyKind
{
    Electricity,
    Water,
    NaturalGas,
    Heat,
    Cooling,
    Steam,
    Lpg,
    Gasoline,
    Diesel,
    Coal,

    /// <summary>
    /// Not an energy: outdoor air temperature from a sensor read like a meter, which the assessment normalises use by.
    /// A temperature meter is a gauge: its readings are values, not a counter, and nothing sums them.
    /// </summary>
    Temperature,
}

public static class EnergyKinds
{
    /// <summary>
    /// The unit every reading of a kind is stored in, whatever the meter itself counts in. These follow the
    /// 公共机构能源资源消费统计制度 base form: electricity kWh, water t (≡ m³), gas m³, heat GJ, fuels by mass or volume.
    /// </summary>
    public static UnitInfo CanonicalUnit(EnergyKind kind) => kind switch
    {
        EnergyKind.Electricity => UnitCatalog.Kwh,
        EnergyKind.Water => UnitCatalog.CubicMetre,
        EnergyKind.NaturalGas => UnitCatalog.CubicMetre,
        EnergyKind.Heat => UnitCatalog.Gj,
        EnergyKind.Cooling => UnitCatalog.Gj,
        EnergyKind.Steam => UnitCatalog.Tonne,
        EnergyKind.Lpg => UnitCatalog.Kilogram,
        EnergyKind.Gasoline => UnitCatalog.Litre,
        EnergyKind.Diesel => UnitCatalog.Litre,
        EnergyKind.Coal => UnitCatalog.Tonne,
        EnergyKind.Temperature => UnitCatalog.Celsius,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The configuration spelling: lower case with hyphens, e.g. <c>natural-gas</c>.</summary>
    public static string ConfigName(EnergyKind kind) => kind switch
    {
        EnergyKind.NaturalGas => "natural-gas",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The kind's name as people read it (电力, Electricity).</summary>
    public static LocalizedText DisplayName(EnergyKind kind) => kind switch
    {
        EnergyKind.Electricity => new("电力", "Electricity"),
        EnergyKind.Water => new("水", "Water"),
        EnergyKind.NaturalGas => new("天然气", "Natural gas"),
        EnergyKind.Heat => new("热力", "Heat"),
        EnergyKind.Cooling => new("冷量", "Cooling"),
        EnergyKind.Steam => new("蒸汽", "Steam"),
        EnergyKind.Lpg => new("液化石油气", "LPG"),
        EnergyKind.Gasoline => new("汽油", "Gasoline"),
        EnergyKind.Diesel => new("柴油", "Diesel"),
        EnergyKind.Coal => new("煤", "Coal"),
        EnergyKind.Temperature => new("室外温度", "Outdoor temperature"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IReadOnlyList<EnergyKind> All { get; } = Enum.GetValues<EnergyKind>();

    /// <summary>The kinds that are consumed and counted: every kind but the temperature gauge.</summary>
    public static IReadOnlyList<EnergyKind> Consumed { get; } = [.. All.Where(k => k != EnergyKind.Temperature)];

    public static bool TryParse(string text, out EnergyKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(ConfigName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
