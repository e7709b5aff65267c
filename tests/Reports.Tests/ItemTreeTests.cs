using CsCheck;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Model;

namespace EnergyMonitor.Reports.Tests;

public sealed class ItemTreeTests
{
    [Fact]
    public void A_main_meter_of_1000_kWh_with_300_kWh_of_lighting_sub_metered_leaves_700_not_sub_metered()
    {
        var tree = ItemTree.Build(new Dictionary<string, double> { ["01000"] = 1000, ["01A10"] = 300 });

        var electricity = Assert.Single(tree);
        Assert.Equal(("01000", 1000.0, 1.0), (electricity.Code, electricity.Amount, electricity.ShareOfParent));
        var lighting = electricity.Children.Single(c => c.Code == "01A00");
        Assert.Equal((300.0, 0.3), (lighting.Amount, lighting.ShareOfParent));
        Assert.Equal(300, lighting.Children.Single(c => c.Code == "01A10").Amount);
        var rest = electricity.Children.Single(c => c.Name == ReportText.NotSubMetered);
        Assert.Equal((700.0, 0.7), (rest.Amount, rest.ShareOfParent));
    }

    [Fact]
    public void A_category_without_main_meters_is_the_sum_of_its_sub_items_and_has_no_remainder()
    {
        var tree = ItemTree.Build(new Dictionary<string, double> { ["01A10"] = 120, ["01B00"] = 80 });

        var electricity = Assert.Single(tree);
        Assert.Equal(200, electricity.Amount);
        Assert.DoesNotContain(electricity.Children, c => c.Name == ReportText.NotSubMetered);
        Assert.Equal(1, electricity.Children.Sum(c => c.ShareOfParent), 9);
    }

    [Fact]
    public void Nothing_metered_is_no_tree()
    {
        Assert.Empty(ItemTree.Build(new Dictionary<string, double>()));
    }

    /// <summary>
    /// Any use by any codes: a node's children never add up to more than it where its main meters measured more, a
    /// category with main meters shows exactly their use, and each child's share is its amount over its parent's.
    /// </summary>
    [Fact]
    public void Generated_uses_keep_the_tree_consistent()
    {
        var codes = ItemCodes.All.Select(c => c.Code).ToArray();
        Gen.Int[0, codes.Length - 1].Select(Gen.Double[0, 10_000]).List[0, 30]
            .Select(uses => (IReadOnlyDictionary<string, double>)uses.GroupBy(u => u.Item1).ToDictionary(g => codes[g.Key], g => g.First().Item2)).Sample(own =>
        {
            var tree = ItemTree.Build(own);
            Assert.Equal(tree.Select(n => n.Code).Distinct().Count(), tree.Count);
            foreach (var category in tree)
            {
                if (own.TryGetValue(category.Code, out var main))
                {
                    Assert.Equal(main, category.Amount, 9);
                }

                Walk(category);
            }
        }, iter: 2_000);

        static void Walk(ItemNode node)
        {
            foreach (var child in node.Children)
            {
                Assert.True(child.Amount >= 0);
                if (node.Amount > 0)
                {
                    Assert.Equal(child.Amount / node.Amount, child.ShareOfParent, 9);
                }

                Walk(child);
            }
        }
    }
}
