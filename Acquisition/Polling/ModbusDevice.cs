using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>A Modbus meter on a line: its register blocks, read through the gateway's client.</summary>
public sealed class ModbusDevice(PolledMeter polled, ModbusClient client, MeterReader reader) : ILineDevice
{
    public PolledMeter Polled => polled;

    public Meter Meter => polled.Meter;

    public string Device { get; } = "unit " + polled.Source.UnitId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string TemplateName => polled.Template.Name;

    public TimeSpan? FastInterval => polled.Source.FastInterval;

    public string PrimaryPoint => polled.Template.Primary.Name;

    public Task<List<Sample>> ReadAsync(PointSelection which, DateTimeOffset requestTime, CancellationToken cancellationToken) =>
        reader.ReadAsync(client, polled, Blocks(which), requestTime, cancellationToken);

    public List<Sample> Missing(PointSelection which, DateTimeOffset requestTime) => MeterReader.Missing(polled, Blocks(which), requestTime);

    public string UnitOf(string point) => polled.Template.Points.First(p => p.Name == point).Unit;

    private IReadOnlyList<ReadBlock> Blocks(PointSelection which) => which switch
    {
        PointSelection.Slow => polled.SlowBlocks,
        PointSelection.Fast => polled.FastBlocks,
        _ => [.. polled.SlowBlocks, .. polled.FastBlocks],
    };
}

/// <summary>A Modbus gateway's connection, as the poller sees it.</summary>
public sealed class ModbusLine(ModbusClient client) : IMeterLine
{
    public ModbusClient Client => client;

    public string Endpoint => client.Endpoint;

    public ValueTask CloseAsync() => client.Transport.CloseAsync();

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
