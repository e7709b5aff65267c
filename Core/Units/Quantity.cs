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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:G} {TUnit.Info.Symbol}");
}

/// <summary>Conversions that the compiler keeps within one dimension.</summary>
public static class QuantityConversions
{
    extension<TFrom>(Quantity<TFrom> quantity) where TFrom : IEnergyUnit
    {
        public Quantity<TTo> ToEnergy<TTo>() where TTo : IEnergyUnit => Convert<TFrom, TTo>(quantity);
    }

    extension<TFrom>(Quantity<TFrom> quantity) where TFrom : IVolumeUnit
    {
        public Quantity<TTo> ToVolume<TTo>() where TTo : IVolumeUnit => Convert<TFrom, TTo>(quantity);
    }

    extension<TFrom>(Quantity<TFrom> quantity) where TFrom : IMassUnit
    {
        public Quantity<TTo> ToMass<TTo>() where TTo : IMassUnit => Convert<TFrom, TTo>(quantity);
    }

    extension<TFrom>(Quantity<TFrom> quantity) where TFrom : IStandardCoalUnit
    {
        public Quantity<TTo> ToStandardCoal<TTo>() where TTo : IStandardCoalUnit => Convert<TFrom, TTo>(quantity);
    }

    extension<TFrom>(Quantity<TFrom> quantity) where TFrom : ICo2Unit
    {
        public Quantity<TTo> ToCo2<TTo>() where TTo : ICo2Unit => Convert<TFrom, TTo>(quantity);
    }

    private static Quantity<TTo> Convert<TFrom, TTo>(Quantity<TFrom> quantity)
        where TFrom : IUnit
        where TTo : IUnit =>
        new(UnitCatalog.Convert(quantity.Value, TFrom.Info, TTo.Info));
}
