using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>A Modbus meter as the poller sees it: where it is, its map, and the requests that read it.</summary>
public sealed class PolledMeter
{
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);

    public PolledMeter(Meter meter, ModbusSource source, MeterTemplate template, int maxRegistersPerRequest)
    {
        Meter = meter;
        Source = source;
        Template = template;
        MaxRegisters = Math.Min(maxRegistersPerRequest, template.MaxRegistersPerRequest);
        Replan();
    }

    public Meter Meter { get; }

    public ModbusSource Source { get; }

    public MeterTemplate Template { get; }

    public int MaxRegisters { get; }

    /// <summary>Requests for everything read on the meter's interval (all points when there is no fast interval).</summary>
    public IReadOnlyList<ReadBlock> SlowBlocks { get; private set; } = [];

    /// <summary>Requests for the fast points, read every <see cref="ModbusSource.FastInterval"/>.</summary>
    public IReadOnlyList<ReadBlock> FastBlocks { get; private set; } = [];

    /// <summary>Points the device refused with "illegal data address"; no longer requested.</summary>
    public IReadOnlyCollection<string> UnreadablePoints => _unreadable;

    public void MarkUnreadable(TemplatePoint point)
    {
        if (_unreadable.Add(point.Name))
        {
            Replan();
        }
    }

    private void Replan()
    {
        var readable = Template.Points.Where(p => !_unreadable.Contains(p.Name)).ToList();
        var hasFast = Source.FastInterval is not null;
        SlowBlocks = BlockPlanner.Plan(readable.Where(p => !hasFast || !p.Fast), MaxRegisters, Template.MaxGap);
        FastBlocks = hasFast ? BlockPlanner.Plan(readable.Where(p => p.Fast), MaxRegisters, Template.MaxGap) : [];
    }
}
