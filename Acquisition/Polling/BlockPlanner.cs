using EnergyMonitor.Modbus;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>One request: a contiguous run of registers (or bits) and the points decoded from it.</summary>
public sealed record ReadBlock(ModbusFunction Function, ushort Address, ushort Count, IReadOnlyList<TemplatePoint> Points)
{
    public override string ToString() => $"0x{(byte)Function:X2} 0x{Address:X4}+{Count}";
}

/// <summary>Merges the points a meter needs into as few requests as the device allows.</summary>
public static class BlockPlanner
{
    /// <param name="maxCount">The most registers one request may read (125 by the protocol; fewer on some devices).</param>
    /// <param name="maxGap">The most unused registers worth reading to save a request.</param>
    public static IReadOnlyList<ReadBlock> Plan(IEnumerable<TemplatePoint> points, int maxCount, int maxGap)
    {
        var blocks = new List<ReadBlock>();
        foreach (var table in points.GroupBy(p => p.Function).OrderBy(g => g.Key))
        {
            var limit = Math.Min(maxCount, ModbusPdu.IsBitRead(table.Key) ? ModbusLimits.MaxReadBits : ModbusLimits.MaxReadRegisters);
            var current = new List<TemplatePoint>();
            var start = 0;
            var end = 0;
            foreach (var point in table.OrderBy(p => p.Address).ThenBy(p => p.End))
            {
                var fits = current.Count > 0 && point.Address - end <= maxGap && Math.Max(end, point.End) - start <= limit;
                if (!fits && current.Count > 0)
                {
                    blocks.Add(new ReadBlock(table.Key, (ushort)start, (ushort)(end - start), current));
                    current = [];
                }

                if (current.Count == 0)
                {
                    start = point.Address;
                    end = point.End;
                }

                current.Add(point);
                end = Math.Max(end, point.End);
            }

            if (current.Count > 0)
            {
                blocks.Add(new ReadBlock(table.Key, (ushort)start, (ushort)(end - start), current));
            }
        }

        return blocks;
    }

    /// <summary>
    /// Halves a block that a device refused with "illegal data address", so that the offending point can be
    /// found in log₂(points) more requests and the rest kept.
    /// </summary>
    public static (ReadBlock First, ReadBlock Second) Split(ReadBlock block)
    {
        if (block.Points.Count < 2)
        {
            throw new ArgumentException("a block of one point cannot be split", nameof(block));
        }

        var ordered = block.Points.OrderBy(p => p.Address).ToList();
        var half = ordered.Count / 2;
        return (Single(block.Function, ordered[..half]), Single(block.Function, ordered[half..]));
    }

    private static ReadBlock Single(ModbusFunction function, IReadOnlyList<TemplatePoint> points)
    {
        var start = points.Min(p => p.Address);
        var end = points.Max(p => p.End);
        return new ReadBlock(function, start, (ushort)(end - start), points);
    }
}
