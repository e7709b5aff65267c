using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Core.Tests;

public sealed class ReadingTests
{
    [Theory]
    [InlineData(ReadingQuality.Good, true)]
    [InlineData(ReadingQuality.ArrivalTime, true)]
    [InlineData(ReadingQuality.Simulated | ReadingQuality.Manual, true)]
    [InlineData(ReadingQuality.Missing, false)]
    [InlineData(ReadingQuality.OutOfRange | ReadingQuality.ArrivalTime, false)]
    public void Missing_or_out_of_range_readings_are_not_usable(ReadingQuality quality, bool usable)
    {
        Assert.Equal(usable, new Reading(new MeterId("m"), DateTimeOffset.UnixEpoch, 1, quality).IsUsable);
    }

    [Fact]
    public void A_meter_converts_raw_values_through_its_unit_and_transformer_ratios()
    {
        // A 10 kV feeder meter counting Wh on the secondary side: 100/5 CT (20) × 10000/100 PT (100) = 2000.
        var meter = new Meter(new MeterId("hv"), "HV", EnergyKind.Electricity, null, UnitCatalog.Wh, new Multiplier(20, 100),
            ReadingMode.Cumulative, TimeSpan.FromMinutes(15), null, null, null, [], new ManualSource());

        // 500 Wh × 2000 = 1,000,000 Wh = 1000 kWh.
        Assert.Equal(1000, meter.ToCanonical(500), 9);
    }
}
