using EnergyMonitor.Modbus;
using EnergyMonitor.Service.Cli;

namespace EnergyMonitor.Service.Tests.Cli;

public sealed class CommissioningTests
{
    [Fact]
    public void Auto_order_marks_only_the_word_order_that_gives_a_meter_like_value()
    {
        // 16601.9 kWh held ABCD: 0x4681 0xB3CD.
        var lines = ModbusCommands.DecodeLines([0x4681, 0xB3CD], RegisterType.Float32, Enum.GetValues<WordOrder>(), markPlausible: true).ToList();

        Assert.Equal(4, lines.Count);
        Assert.Single(lines, l => l.Contains("plausible", StringComparison.Ordinal));
        Assert.StartsWith("float32 ABCD: 16601.9", lines.Single(l => l.Contains("plausible", StringComparison.Ordinal)));
    }
}
