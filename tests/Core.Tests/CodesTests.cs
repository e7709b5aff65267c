using CsCheck;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Core.Tests;

public sealed class CodesTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    [Theory]
    // Check characters computed by hand: weights 3^i mod 31, check = (31 − Σ mod 31) mod 31.
    [InlineData("11320117MB0123456D")]
    [InlineData("12320117MB0234567M")]
    [InlineData("12320117MB03456781")]
    public void Credit_codes_with_a_correct_check_character_are_valid(string code)
    {
        Assert.True(Codes.IsValidCreditCode(code));
    }

    [Fact]
    public void Any_body_gets_a_check_character_that_validates_and_any_other_check_character_fails()
    {
        Gen.Char[Alphabet].Array[17].Select(chars => new string(chars)).Sample(body =>
        {
            var check = Codes.CreditCodeCheckCharacter(body)!.Value;
            Assert.True(Codes.IsValidCreditCode(body + check));
            var wrong = Alphabet[(Alphabet.IndexOf(check) + 1) % Alphabet.Length];
            Assert.False(Codes.IsValidCreditCode(body + wrong));
        }, iter: 2000);
    }

    [Fact]
    public void A_single_changed_character_in_the_body_is_detected()
    {
        const string valid = "11320117MB0123456D";
        for (var i = 0; i < 17; i++)
        {
            foreach (var c in Alphabet.Where(c => c != valid[i]))
            {
                var mutated = string.Concat(valid.AsSpan(0, i), c.ToString(), valid.AsSpan(i + 1));
                Assert.False(Codes.IsValidCreditCode(mutated), mutated);
            }
        }
    }

    [Theory]
    [InlineData("11320117MB0123456")]
    [InlineData("11320117MI0123456D")]
    [InlineData("")]
    public void Credit_codes_of_the_wrong_length_or_with_foreign_symbols_are_invalid(string code)
    {
        Assert.False(Codes.IsValidCreditCode(code));
    }

    [Theory]
    [InlineData("320100A008", true)]
    [InlineData("320117E001", true)]
    [InlineData("320100a008", false)]
    [InlineData("3201A00008", false)]
    [InlineData("320100A08", false)]
    [InlineData("000000A001", false)]
    public void Building_codes_are_division_letter_serial(string code, bool valid)
    {
        Assert.Equal(valid, Codes.IsValidBuildingCode(code));
    }

    [Theory]
    [InlineData("320117", "320117", true)]
    [InlineData("320117", "320100", true)]
    [InlineData("320117", "320000", true)]
    [InlineData("320117", "320115", false)]
    [InlineData("110101", "320000", false)]
    public void A_division_lies_within_a_region_when_the_region_code_prefixes_it(string division, string region, bool within)
    {
        Assert.Equal(within, Codes.IsWithinRegion(division, region));
    }

    [Theory]
    [InlineData("01A10", "01A00")]
    [InlineData("01A00", "01000")]
    [InlineData("01D30", "01D00")]
    [InlineData("01000", null)]
    [InlineData("02000", null)]
    [InlineData("03A00", null)]
    public void Item_codes_know_their_parent_in_the_category_tree(string code, string? parent)
    {
        Assert.True(ItemCodes.TryFind(code, out var item));
        Assert.Equal(parent, item.ParentCode);
    }

    [Fact]
    public void Every_sub_item_parent_is_itself_a_known_code_of_the_same_kind()
    {
        foreach (var item in ItemCodes.All.Where(i => i.ParentCode is not null))
        {
            Assert.True(ItemCodes.TryFind(item.ParentCode!, out var parent), item.Code);
            Assert.Equal(item.Kind, parent.Kind);
        }
    }

    [Fact]
    public void Indoor_lighting_is_within_lighting_and_within_electricity_but_not_air_conditioning()
    {
        ItemCodes.TryFind("01A10", out var indoor);
        ItemCodes.TryFind("01A00", out var lighting);
        ItemCodes.TryFind("01000", out var electricity);
        ItemCodes.TryFind("01B00", out var ac);

        Assert.True(ItemCodes.IsWithin(indoor, lighting));
        Assert.True(ItemCodes.IsWithin(indoor, electricity));
        Assert.False(ItemCodes.IsWithin(indoor, ac));
    }
}

public sealed class VirtualFormulaTests
{
    [Theory]
    [InlineData("adm-total - children(adm-total)", "adm-total:1:False|adm-total:-1:True")]
    [InlineData("- a + 0.5*b-c", "a:-1:False|b-c:0.5:False")]
    [InlineData("2*main", "main:2:False")]
    public void Formulas_with_hyphenated_ids_parse_into_signed_terms(string text, string expected)
    {
        var formula = EnergyMonitor.Core.Site.VirtualFormula.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(expected, string.Join("|", formula!.Terms.Select(t => $"{t.Meter}:{t.Coefficient}:{t.Children}")));
    }

    [Theory]
    [InlineData("", "an empty formula")]
    [InlineData("a -", "a formula ending in an operator")]
    [InlineData("a b", "follows another term")]
    [InlineData("a + + b", "where a meter was expected")]
    [InlineData("x*a", "is not a meter id")]
    public void Broken_formulas_say_what_is_wrong(string text, string expected)
    {
        Assert.Null(EnergyMonitor.Core.Site.VirtualFormula.Parse(text, out var error));
        Assert.Contains(expected, error);
    }
}
