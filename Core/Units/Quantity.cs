using System.Globalization;

namespace EnergyMonitor.Core.Units;

/// <summary>
/// An amount in the unit named by <typeparamref name="TUnit"/>. Arithmetic exists only between
/// quantities of the same unit, so <c>Quantity&lt;Kwh&gt; + Quantity&lt;CubicMetre&gt;</c> does not compile.
/// </summary>
public readonly record struct Quantity<TUnit>(double Value) : IComparable<Quantity<TUnit>>
    where TUnit : IUnit
{
    public static Quantity<TUnit> Zero => default;

    public UnitInfo Unit => TUnit.Info;

    public static Quantity<TUnit> operator +(Quantity<TUnit> a, Quantity<TUnit> b) => new(a.Value + b.Value);

    public static Quantity<TUnit> operator -(Quantity<TUnit> a, Quantity<TUnit> b) => new(a.Value - b.Value);

    public static Quantity<TUnit> operator -(Quantity<TUnit> a) => new(-a.Value);

    public static Quantity<TUnit> operator *(Quantity<TUnit> a, double factor) => new(a.Value * factor);

    public static Quantity<TUnit> operator *(double factor, Quantity<TUnit> a) => new(a.Value * factor);

    public static Quantity<TUnit> operator /(Quantity<TUnit> a, double divisor) => new(a.Value / divisor);

    /// <summary>The ratio of two amounts of one unit is a plain number.</summary>
    public static double operator /(Quantity<TUnit> a, Quantity<TUnit> b) => a.Value / b.Value;

    public static bool operator <(Quantity<TUnit> a, Quantity<TUnit> b) => a.Value < b.Value;

    public static bool operator >(Quantity<TUnit> a, Quantity<TUnit> b) => a.Value > b.Value;

    public static bool operator <=(Quantity<TUnit> a, Quantity<TUnit> b) => a.Value <= b.Value;

    public static bool operator >=(Quantity<TUnit> a, Quantity<TUnit> b) => a.Value >= b.Value;

    public int CompareTo(Quantity<TUnit> other) => Value.CompareTo(other.Value);

    /// <summary>
    /// The same amount in another unit of the same dimension (MWh → GJ, L → m³). Arithmetic between units is
    /// checked by the compiler; conversion across dimensions (kWh → m³) is a programming error and throws.
    /// </summary>
    public Quantity<TTo> To<TTo>()
        where TTo : IUnit =>
        new(UnitCatalog.Convert(Value, TUnit.Info, TTo.Info));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:G} {TUnit.Info.Symbol}");
}
