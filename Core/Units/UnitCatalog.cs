namespace EnergyMonitor.Core.Units;

/// <summary>Every unit the system accepts in configuration, by symbol.</summary>
public static class UnitCatalog
{
    public static readonly UnitInfo Wh = new("Wh", Dimension.Energy, 0.0036);
    public static readonly UnitInfo Kwh = new("kWh", Dimension.Energy, 3.6);
    public static readonly UnitInfo Mwh = new("MWh", Dimension.Energy, 3600);
    public static readonly UnitInfo Mj = new("MJ", Dimension.Energy, 1);
    public static readonly UnitInfo Gj = new("GJ", Dimension.Energy, 1000);
    public static readonly UnitInfo Litre = new("L", Dimension.Volume, 0.001);
    public static readonly UnitInfo CubicMetre = new("m3", Dimension.Volume, 1);
    public static readonly UnitInfo Kilogram = new("kg", Dimension.Mass, 1);
    public static readonly UnitInfo Tonne = new("t", Dimension.Mass, 1000);
    public static readonly UnitInfo SquareMetre = new("m2", Dimension.Area, 1);
    public static readonly UnitInfo Kgce = new("kgce", Dimension.StandardCoal, 1);
    public static readonly UnitInfo Tce = new("tce", Dimension.StandardCoal, 1000);
    public static readonly UnitInfo KgCo2 = new("kgCO2", Dimension.Co2Mass, 1);
    public static readonly UnitInfo TCo2 = new("tCO2", Dimension.Co2Mass, 1000);
    public static readonly UnitInfo Celsius = new("°C", Dimension.Temperature, 1);

    public static IReadOnlyList<UnitInfo> All { get; } =
        [Wh, Kwh, Mwh, Mj, Gj, Litre, CubicMetre, Kilogram, Tonne, SquareMetre, Kgce, Tce, KgCo2, TCo2, Celsius];

    private static readonly Dictionary<string, UnitInfo> BySymbol = BuildIndex();

    private static Dictionary<string, UnitInfo> BuildIndex()
    {
        var index = new Dictionary<string, UnitInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var unit in All)
        {
            index[unit.Symbol] = unit;
        }

        // Spellings seen on meter nameplates and in gateway payloads.
        index["m³"] = CubicMetre;
        index["l"] = Litre;
        index["m²"] = SquareMetre;
        index["C"] = Celsius;
        index["degC"] = Celsius;
        index["℃"] = Celsius;
        return index;
    }

    public static bool TryParse(string symbol, out UnitInfo unit) =>
        BySymbol.TryGetValue(symbol.Trim(), out unit!);

    public static string KnownSymbols => string.Join(", ", All.Select(u => u.Symbol));

    /// <summary>Converts a value between units of one dimension; a cross-dimension call is a programming error.</summary>
    public static double Convert(double value, UnitInfo from, UnitInfo to)
    {
        if (from.Dimension != to.Dimension)
        {
            throw new InvalidOperationException($"cannot convert {from.Symbol} ({from.Dimension}) to {to.Symbol} ({to.Dimension})");
        }

        return from == to ? value : value * from.BaseUnits / to.BaseUnits;
    }
}
