using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Tests.Scorecard;

/// <summary>Placing a value against a quota, worked on the Shandong DB37/T 2672-2019 zone A values (20.0 / 11.9 / 6.5 kgce/(m²·a)) [S].</summary>
public sealed class QuotaPositionTests
{
    private static readonly EnergyQuota Shandong = new("q", "党政机关 A", "DB37/T 2672-2019", "S", ["37"], ["01"], IndicatorId.EnergyPerArea, 20.0, 11.9, 6.5);

    [Theory]
    [InlineData(6.5, QuotaBand.AtOrBelowGuide, 0.0)]
    [InlineData(11.9, QuotaBand.BelowBaseline, 0.4)] // (11.9 − 6.5) / (20 − 6.5) = 0.4
    [InlineData(20.0, QuotaBand.BelowConstraint, 1.0)]
    [InlineData(22.7, QuotaBand.AboveConstraint, 1.2)] // over the ceiling: flagged
    public void A_value_falls_in_its_band_with_its_place_between_guide_and_constraint(double value, QuotaBand band, double position)
    {
        var placed = QuotaPositions.Of(Shandong, value);

        Assert.Equal(band, placed.Band);
        Assert.Equal(position, placed.Position, 9);
    }

    [Fact]
    public void A_quota_applies_by_region_prefix_and_nature()
    {
        Assert.True(Shandong.AppliesTo("370102", "01"));
        Assert.False(Shandong.AppliesTo("320117", "01")); // Jiangsu: the Shandong standard does not apply
        Assert.False(Shandong.AppliesTo("370102", "024"));
    }
}
