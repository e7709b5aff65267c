using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Acquisition.Tests.Polling;

internal static class TemplateFixtures
{
    public static TemplatePoint Point(string name, ushort address, RegisterType type = RegisterType.Float32, ModbusFunction function = ModbusFunction.ReadHoldingRegisters, bool primary = false, bool fast = false) =>
        new(name, "", function, [new RegisterField(address, type, WordOrder.ABCD, 1)], 0, primary ? "kWh" : "W", primary, fast, primary ? TransformerScaling.Both : TransformerScaling.None, null, null);
}
