using EnergyMonitor.Core.Domain;
using EnergyMonitor.Modbus;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>
/// Reads one meter's blocks and decodes them into samples. A block refused with "illegal data address" is
/// split until the refused point is found; that point is reported by name and dropped, the rest kept.
/// </summary>
public sealed class MeterReader(ILogger logger)
{
    public async Task<List<Sample>> ReadAsync(ModbusClient client, PolledMeter meter, IReadOnlyList<ReadBlock> blocks, DateTimeOffset requestTime, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        foreach (var block in blocks)
        {
            await ReadBlockAsync(client, meter, block, requestTime, samples, cancellationToken).ConfigureAwait(false);
        }

        return samples;
    }

    /// <summary>The samples a poll yields when the device could not be asked: every point flagged missing.</summary>
    public static List<Sample> Missing(PolledMeter meter, IReadOnlyList<ReadBlock> blocks, DateTimeOffset requestTime) =>
        blocks.SelectMany(b => b.Points).Select(p => SampleOf(meter, p, requestTime, 0, ReadingQuality.Missing)).ToList();

    private async Task ReadBlockAsync(ModbusClient client, PolledMeter meter, ReadBlock block, DateTimeOffset requestTime, List<Sample> samples, CancellationToken cancellationToken)
    {
        var unit = meter.Source.UnitId;
        try
        {
            if (ModbusPdu.IsBitRead(block.Function))
            {
                var bits = new bool[block.Count];
                await client.ReadBitsAsync(block.Function, unit, block.Address, bits, cancellationToken).ConfigureAwait(false);
                foreach (var point in block.Points)
                {
                    samples.Add(Decoded(meter, point, requestTime, bits[point.Address - block.Address] ? 1 : 0));
                }

                return;
            }

            var registers = new ushort[block.Count];
            await client.ReadRegistersAsync(block.Function, unit, block.Address, registers, cancellationToken).ConfigureAwait(false);
            foreach (var point in block.Points)
            {
                samples.Add(Decoded(meter, point, requestTime, point.Decode(registers, block.Address)));
            }
        }
        catch (ModbusDeviceException e) when (e.Code == ModbusExceptionCode.IllegalDataAddress)
        {
            if (block.Points.Count > 1)
            {
                var (first, second) = BlockPlanner.Split(block);
                await ReadBlockAsync(client, meter, first, requestTime, samples, cancellationToken).ConfigureAwait(false);
                await ReadBlockAsync(client, meter, second, requestTime, samples, cancellationToken).ConfigureAwait(false);
                return;
            }

            var bad = block.Points[0];
            logger.LogWarning(
                "Meter {Meter}: register 0x{Address:X4} ({Point}, template {Template}) refused by unit {Unit} at {Endpoint}: {Error}; no longer requested",
                meter.Meter.Id, bad.Address, bad.Name, meter.Template.Name, unit, client.Endpoint, e.Message);
            meter.MarkUnreadable(bad);
            samples.Add(SampleOf(meter, bad, requestTime, 0, ReadingQuality.Missing));
        }
        catch (ModbusDeviceException e)
        {
            logger.LogWarning("Meter {Meter}: block {Block} failed: {Error}", meter.Meter.Id, block, e.Message);
            samples.AddRange(block.Points.Select(p => SampleOf(meter, p, requestTime, 0, ReadingQuality.Missing)));
        }
    }

    private static Sample Decoded(PolledMeter meter, TemplatePoint point, DateTimeOffset requestTime, double raw)
    {
        var quality = !double.IsFinite(raw) ? ReadingQuality.Missing
            : (point.Min is { } min && raw < min) || (point.Max is { } max && raw > max) ? ReadingQuality.OutOfRange
            : ReadingQuality.Good;
        return SampleOf(meter, point, requestTime, raw, quality);
    }

    /// <summary>The device's value as read; the normaliser applies the point's transformer ratios.</summary>
    private static Sample SampleOf(PolledMeter meter, TemplatePoint point, DateTimeOffset requestTime, double value, ReadingQuality quality) =>
        new(meter.Meter.Id, point.Primary ? null : point.Name, requestTime, value, point.Primary ? meter.Template.CountingUnit : null, quality, point.Transformer);
}
