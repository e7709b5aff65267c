using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Simulation;

/// <summary>
/// What a simulated device shows in each point of its template, from its counter and its current rate of use.
/// Pure functions, so the simulator's registers can be predicted in tests.
/// </summary>
public static class PointSimulation
{
    /// <param name="counter">The device's counter, in the template's counting unit, secondary side.</param>
    /// <param name="ratePerHour">Counting units per hour, secondary side (kW for an energy counter in kWh).</param>
    public static double ValueOf(TemplatePoint point, double counter, double ratePerHour)
    {
        if (point.Primary)
        {
            return counter;
        }

        var name = point.Name.ToLowerInvariant();
        return point.Unit switch
        {
            "kWh" or "m3" when name.Contains("export", StringComparison.Ordinal) || name.Contains("reverse", StringComparison.Ordinal) => 0,
            "kWh" when name.Contains("spike", StringComparison.Ordinal) => counter * 0.10,
            "kWh" when name.Contains("peak", StringComparison.Ordinal) => counter * 0.35,
            "kWh" when name.Contains("flat", StringComparison.Ordinal) => counter * 0.35,
            "kWh" when name.Contains("valley", StringComparison.Ordinal) => counter * 0.20,
            "kWh" or "m3" => counter,
            "W" => ratePerHour * 1000,
            "V" => 230.0,
            "A" => ratePerHour * 1000 / (3 * 230.0),
            "Hz" => 50.0,
            "L/h" => ratePerHour * 1000,
            "mV" => 3600,
            _ => 0,
        };
    }

    /// <summary>Writes a point's value into its registers the way the device would hold it.</summary>
    public static void Write(ModbusDataBank bank, TemplatePoint point, double value)
    {
        var remaining = value - point.Offset;
        Span<ushort> registers = stackalloc ushort[4];
        for (var i = 0; i < point.Fields.Count; i++)
        {
            var field = point.Fields[i];
            var last = i == point.Fields.Count - 1;
            var isFloat = field.Type is RegisterType.Float32 or RegisterType.Float64;

            // Split counters (whole m³ + mL) carry the whole part in the first field and the rest in the next.
            var raw = last || isFloat ? remaining / field.Scale : Math.Floor(remaining / field.Scale);
            if (!isFloat)
            {
                raw = Math.Round(raw);
            }

            remaining -= raw * field.Scale;
            var count = RegisterDecoder.RegisterCount(field.Type);
            RegisterDecoder.Encode(raw, field.Type, field.Order, registers[..count]);
            bank.WriteRegisters(point.Function, field.Address, registers[..count]);
        }
    }

    /// <summary>The registers a template reads, so that the simulated device refuses the others as a real one does.</summary>
    public static IEnumerable<(ModbusFunction, ushort)> MappedRegisters(MeterTemplate template) =>
        template.Points.SelectMany(p => p.Fields.SelectMany(f =>
            Enumerable.Range(f.Address, RegisterDecoder.RegisterCount(f.Type)).Select(a => (p.Function, (ushort)a))));
}
