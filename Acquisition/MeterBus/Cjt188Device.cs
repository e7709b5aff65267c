using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.MeterBus;

/// <summary>
/// A CJ/T 188 water, gas or heat meter on a line: one 901FH read gives every point. A heat meter's GJ counter is
/// its reading; its temperatures, power and flow are points.
/// </summary>
public sealed class Cjt188Device : ILineDevice
{
    private readonly string _gateway;
    private readonly Cjt188Address _address;
    private readonly Cjt188Client _client;
    private readonly FrameFaults _faults;
    private readonly ILogger _logger;

    public Cjt188Device(string gateway, Meter meter, Cjt188Source source, Cjt188Template template, Cjt188Client client, FrameFaults faults, ILogger logger)
    {
        _gateway = gateway;
        Meter = meter;
        Template = template;
        _address = Cjt188Address.Parse(source.Address);
        _client = client;
        _faults = faults;
        _logger = logger;
        Device = "address " + source.Address;
    }

    public Meter Meter { get; }

    public Cjt188Template Template { get; }

    public string Device { get; }

    public string TemplateName => Template.Name;

    public TimeSpan? FastInterval => null;

    public string PrimaryPoint => Template.Primary.Name;

    public async Task<List<Sample>> ReadAsync(PointSelection which, DateTimeOffset requestTime, CancellationToken cancellationToken)
    {
        try
        {
            var data = await _client.ReadMeteringDataAsync(Template.MeterType, _address, Template.Layout, cancellationToken).ConfigureAwait(false);
            return Template.Points.Select(p =>
            {
                var value = (double)data[p.Field].Canonical;
                var quality = (p.Min is { } min && value < min) || (p.Max is { } max && value > max) ? ReadingQuality.OutOfRange : ReadingQuality.Good;
                return SampleOf(p, requestTime, value, quality);
            }).ToList();
        }
        catch (MeterFrameException e)
        {
            _faults.Record(_gateway, Meter.Id, Device, e);
            return Missing(which, requestTime);
        }
        catch (Cjt188DeviceException e)
        {
            _logger.LogWarning("Meter {Meter}: {Error}", Meter.Id, e.Message);
            return Missing(which, requestTime);
        }
    }

    public List<Sample> Missing(PointSelection which, DateTimeOffset requestTime) =>
        Template.Points.Select(p => SampleOf(p, requestTime, 0, ReadingQuality.Missing)).ToList();

    public string UnitOf(string point) => Template.Points.First(p => p.Name == point).Unit;

    private Sample SampleOf(Cjt188Point point, DateTimeOffset requestTime, double value, ReadingQuality quality) =>
        new(Meter.Id, point.Primary ? null : point.Name, requestTime, value, point.Primary ? Template.CountingUnit : null, quality);
}

/// <summary>A line of DL/T 645 and CJ/T 188 meters, as the poller sees it.</summary>
public sealed class MeterBusLine(MeterProtocols.Line.MeterLine line, IReadOnlyList<IDisposable> clients) : IMeterLine
{
    public MeterProtocols.Line.MeterLine Line => line;

    public string Endpoint => line.Endpoint;

    public ValueTask CloseAsync() => line.CloseAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await line.DisposeAsync().ConfigureAwait(false);
    }
}
