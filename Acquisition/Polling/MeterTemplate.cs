using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>The register map of one meter model, as its manual gives it.</summary>
public sealed record MeterTemplate(
    string Name,
    string Manufacturer,
    string Model,
    string Source,
    int MaxRegistersPerRequest,
    int MaxGap,
    UnitInfo CountingUnit,
    IReadOnlyList<TemplatePoint> Points)
{
    /// <summary>The point whose value is the meter's reading (its energy or volume counter).</summary>
    public TemplatePoint Primary => Points.Single(p => p.Primary);
}

/// <summary>
/// One value of the map. Most points are one field; some meters split a counter over several registers (an
/// integer part in m³ and a decimal part in mL), so a point is the sum of its fields, plus an offset.
/// </summary>
public sealed record TemplatePoint(
    string Name,
    string Description,
    ModbusFunction Function,
    IReadOnlyList<RegisterField> Fields,
    double Offset,
    string Unit,
    bool Primary,
    bool Fast,
    TransformerScaling Transformer,
    double? Min,
    double? Max)
{
    public ushort Address => Fields.Min(f => f.Address);

    public int End => Fields.Max(f => f.Address + RegisterDecoder.RegisterCount(f.Type));

    public int Count => End - Address;

    /// <summary>The engineering value from the registers of a block starting at <paramref name="blockStart"/>.</summary>
    public double Decode(ReadOnlySpan<ushort> block, ushort blockStart)
    {
        var value = Offset;
        foreach (var field in Fields)
        {
            var start = field.Address - blockStart;
            value += RegisterDecoder.Decode(block.Slice(start, RegisterDecoder.RegisterCount(field.Type)), field.Type, field.Order) * field.Scale;
        }

        return value;
    }
}

public sealed record RegisterField(ushort Address, RegisterType Type, WordOrder Order, double Scale);
