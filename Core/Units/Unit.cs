namespace EnergyMonitor.Core.Units;

/// <summary>The physical dimension of a unit. Only units of one dimension convert into each other.</summary>
public enum Dimension
{
    Energy,
    Volume,
    Mass,
    Area,
    StandardCoal,
    Co2Mass,

    /// <summary>Air temperature, °C only: it is never converted, and conversion by ratio would be wrong for °F.</summary>
    Temperature,
}

/// <summary>
/// A unit as data: its symbol, its dimension and how many base units one of it holds.
/// Configuration names units by symbol; the typed quantities below name them by type.
/// </summary>
public sealed record UnitInfo(string Symbol, Dimension Dimension, double BaseUnits)
{
    public override string ToString() => Symbol;
}

/// <summary>A unit known at compile time, so that a quantity's type carries its unit.</summary>
public interface IUnit
{
    static abstract UnitInfo Info { get; }
}

// Base units: MJ for energy, m³ for volume, kg for mass, m² for area, kgce, kgCO2.
public sealed class Wh : IUnit { public static UnitInfo Info => UnitCatalog.Wh; }
public sealed class Kwh : IUnit { public static UnitInfo Info => UnitCatalog.Kwh; }
public sealed class Mwh : IUnit { public static UnitInfo Info => UnitCatalog.Mwh; }
public sealed class Mj : IUnit { public static UnitInfo Info => UnitCatalog.Mj; }
public sealed class Gj : IUnit { public static UnitInfo Info => UnitCatalog.Gj; }
public sealed class Litre : IUnit { public static UnitInfo Info => UnitCatalog.Litre; }
public sealed class CubicMetre : IUnit { public static UnitInfo Info => UnitCatalog.CubicMetre; }
public sealed class Kilogram : IUnit { public static UnitInfo Info => UnitCatalog.Kilogram; }
public sealed class Tonne : IUnit { public static UnitInfo Info => UnitCatalog.Tonne; }
public sealed class SquareMetre : IUnit { public static UnitInfo Info => UnitCatalog.SquareMetre; }
public sealed class Kgce : IUnit { public static UnitInfo Info => UnitCatalog.Kgce; }
public sealed class Tce : IUnit { public static UnitInfo Info => UnitCatalog.Tce; }
public sealed class KgCo2 : IUnit { public static UnitInfo Info => UnitCatalog.KgCo2; }
public sealed class TCo2 : IUnit { public static UnitInfo Info => UnitCatalog.TCo2; }
