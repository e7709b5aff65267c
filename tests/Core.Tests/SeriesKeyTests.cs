using CsCheck;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Tests;

public sealed class SeriesKeyTests
{
    [Theory]
    [InlineData("m1", SeriesScope.Meter, "m1", null, null, null)]
    [InlineData("m1/power", SeriesScope.Meter, "m1", "power", null, null)]
    [InlineData("building/b1/electricity", SeriesScope.Building, "b1", null, EnergyKind.Electricity, null)]
    [InlineData("institution/lishui-admin/natural-gas", SeriesScope.Institution, "lishui-admin", null, EnergyKind.NaturalGas, null)]
    [InlineData("region/320117/water", SeriesScope.Region, "320117", null, EnergyKind.Water, null)]
    [InlineData("building/b1/item/01A00", SeriesScope.Building, "b1", null, EnergyKind.Electricity, "01A00")]
    [InlineData("building/power", SeriesScope.Meter, "building", "power", null, null)] // a meter named like a scope
    public void Each_form_of_the_grammar_parses_into_its_parts(string text, SeriesScope scope, string owner, string? point, EnergyKind? kind, string? item)
    {
        var key = SeriesKey.Parse(text);

        Assert.Equal((scope, owner, point, kind, item), (key.Scope, key.Owner, key.Point, key.Kind, key.Item?.Code));
        Assert.Equal(text, key.ToString());
    }

    [Fact]
    public void The_budget_series_is_an_institutions_with_no_kind()
    {
        var key = SeriesKey.Parse("institution/i1/budget");

        Assert.True(key.IsBudget);
        Assert.Equal(SeriesKey.Budget("i1"), key);
        Assert.False(SeriesKey.Parse("institution/i1/electricity").IsBudget);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/m1")]
    [InlineData("m1/")]
    [InlineData("m1/power/extra")]
    [InlineData("building/b1/plasma")] // no such kind
    [InlineData("building/b1/Electricity")] // kinds are written as the configuration spells them
    [InlineData("building/b1/item/99Z99")] // no such item
    [InlineData("region/320117/item")]
    [InlineData("building/b1/budget")] // only institutions have a budget series
    [InlineData("building//electricity")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(SeriesKey.TryParse(text, out _));
        Assert.Throws<FormatException>(() => SeriesKey.Parse(text));
    }

    [Fact]
    public void A_meters_series_says_which_meter_and_a_groups_says_none()
    {
        Assert.Equal(new MeterId("m1"), SeriesKey.Parse("m1/power").Meter);
        Assert.Null(SeriesKey.Parse("building/b1/heat").Meter);
        Assert.StartsWith(SeriesKey.GroupPrefix(SeriesScope.Building, "b1"), SeriesKey.Of(SeriesScope.Building, "b1", EnergyKind.Heat).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_the_formatter_writes_parses_back_to_itself()
    {
        var id = Gen.String[Gen.Char["abcxyz0129-_."], 1, 12].Where(s => char.IsAsciiLetterOrDigit(s[0]));
        var key = Gen.OneOf(
            Gen.Select(id, id.Null(), (m, p) => SeriesKey.Of(new MeterId(m), p)),
            Gen.Select(Gen.Enum<SeriesScope>().Where(s => s != SeriesScope.Meter), id, Gen.Enum<EnergyKind>(), (s, o, k) => SeriesKey.Of(s, o, k)),
            Gen.Select(Gen.Enum<SeriesScope>().Where(s => s != SeriesScope.Meter), id, Gen.Int[0, ItemCodes.All.Count - 1], (s, o, i) => SeriesKey.Of(s, o, ItemCodes.All[i])),
            id.Select(SeriesKey.Budget));

        key.Sample(k => SeriesKey.Parse(k.Text) == k);
    }
}
