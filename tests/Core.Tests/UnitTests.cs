using System.Reflection;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Core.Tests;

public sealed class UnitTests
{
    [Fact]
    public void Kwh_add_and_compare_within_their_own_unit()
    {
        var morning = new Quantity<Kwh>(12.5);
        var afternoon = new Quantity<Kwh>(7.5);

        Assert.Equal(new Quantity<Kwh>(20), morning + afternoon);
        Assert.Equal(new Quantity<Kwh>(5), morning - afternoon);
        Assert.True(morning > afternoon);
        Assert.Equal(2.5, (morning + afternoon) / new Quantity<Kwh>(8));
    }

    [Fact]
    public void Every_operator_between_quantities_takes_and_returns_one_unit_only()
    {
        // The compile-time guarantee, checked where it is made: no operator mixes Quantity<A> with Quantity<B>,
        // so Quantity<Kwh> + Quantity<CubicMetre> has no overload to bind to and cannot compile.
        foreach (var unit in typeof(IUnit).Assembly.GetTypes().Where(t => t.IsClass && typeof(IUnit).IsAssignableFrom(t)))
        {
            var quantity = typeof(Quantity<>).MakeGenericType(unit);
            var operators = quantity.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name.StartsWith("op_", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(operators);
            foreach (var op in operators)
            {
                var quantityTypes = op.GetParameters().Select(p => p.ParameterType).Append(op.ReturnType)
                    .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Quantity<>));
                Assert.All(quantityTypes, t => Assert.Equal(quantity, t));
            }
        }
    }

    [Theory]
    [InlineData(1500.0, "Wh", "kWh", 1.5)]
    [InlineData(2.0, "MWh", "kWh", 2000.0)]
    [InlineData(1.0, "MWh", "GJ", 3.6)]
    [InlineData(1.0, "kWh", "MJ", 3.6)]
    [InlineData(250.0, "MJ", "GJ", 0.25)]
    [InlineData(1500.0, "L", "m3", 1.5)]
    [InlineData(2.5, "t", "kg", 2500.0)]
    [InlineData(3.0, "tce", "kgce", 3000.0)]
    [InlineData(1.0, "m³", "L", 1000.0)]
    public void Units_of_one_dimension_convert_by_their_factors(double value, string from, string to, double expected)
    {
        Assert.True(UnitCatalog.TryParse(from, out var f));
        Assert.True(UnitCatalog.TryParse(to, out var t));

        Assert.Equal(expected, UnitCatalog.Convert(value, f, t), 9);
    }

    [Fact]
    public void Converting_across_dimensions_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => UnitCatalog.Convert(1, UnitCatalog.Kwh, UnitCatalog.CubicMetre));
    }

    [Fact]
    public void Typed_conversions_keep_the_amount()
    {
        Assert.Equal(3.6, new Quantity<Mwh>(1).To<Gj>().Value, 12);
        Assert.Equal(1.5, new Quantity<Litre>(1500).To<CubicMetre>().Value, 12);
        Assert.Equal(1.2, new Quantity<Kgce>(1200).To<Tce>().Value, 12);
        Assert.Equal(0.5366, new Quantity<KgCo2>(536.6).To<TCo2>().Value, 12);
    }

    [Fact]
    public void Every_energy_kind_has_a_canonical_unit_and_a_config_name_that_parses_back()
    {
        foreach (var kind in EnergyKinds.All)
        {
            Assert.NotNull(EnergyKinds.CanonicalUnit(kind));
            Assert.True(EnergyKinds.TryParse(EnergyKinds.ConfigName(kind), out var parsed));
            Assert.Equal(kind, parsed);
        }
    }

    [Fact]
    public void A_typed_conversion_across_dimensions_throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Quantity<Kwh>(1).To<CubicMetre>());
    }

    [Fact]
    public void Quantities_print_with_their_unit()
    {
        Assert.Equal("122.9 kgce", new Quantity<Kgce>(122.9).ToString());
    }
}
