using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Modbus;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Simulation.Tests;

/// <summary>The simulator writes a point the way its template says the meter holds it, so that polling decodes it back.</summary>
public sealed class PointSimulationTests
{
    private static string TemplatesDir => Path.Combine(Repository.Root(), "config", "templates");

    [Fact]
    public void A_split_counter_sums_whole_cubic_metres_and_millilitres()
    {
        var ultrad = TemplateLoader.LoadDirectory(TemplatesDir).Templates["dynaflox-ultrad"];
        var bank = new ModbusDataBank();

        // 1234.567891 m³ = 1234 m³ + 567,891 mL.
        PointSimulation.Write(bank, ultrad.Primary, 1234.567891);
        var registers = new ushort[4];
        bank.ReadRegisters(ModbusFunction.ReadHoldingRegisters, 2, registers);

        Assert.Equal(1234, RegisterDecoder.Decode(registers.AsSpan(0, 2), RegisterType.Int32, WordOrder.ABCD));
        Assert.Equal(567_891, RegisterDecoder.Decode(registers.AsSpan(2, 2), RegisterType.Int32, WordOrder.ABCD));
        Assert.Equal(1234.567891, ultrad.Primary.Decode(registers, 2), 9);
    }
}
