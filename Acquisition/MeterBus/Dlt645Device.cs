using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Dlt645;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.MeterBus;

/// <summary>
/// A DL/T 645 meter on a line: one read per identifier of its template. A refused or malformed answer makes that
/// point missing and the next one is still asked; an identifier the meter does not know is no longer asked.
/// </summary>
public sealed class Dlt645Device : ILineDevice
{
    private readonly string _gateway;
    private readonly Dlt645Source _source;
    private readonly Dlt645Address _address;
    private readonly Dlt645Client _client;
    private readonly FrameFaults _faults;
    private readonly ILogger _logger;
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);

    public Dlt645Device(string gateway, Meter meter, Dlt645Source source, Dlt645Template template, Dlt645Client client, FrameFaults faults, ILogger logger)
    {
        _gateway = gateway;
        Meter = meter;
        _source = source;
        Template = template;
        _address = Dlt645Address.Parse(source.Address);
        _client = client;
        _faults = faults;
        _logger = logger;
        Device = "address " + source.Address;
    }

    public Meter Meter { get; }

    public Dlt645Template Template { get; }

    public string Device { get; }

    public string TemplateName => Template.Name;

    public TimeSpan? FastInterval => _source.FastInterval;

    public string PrimaryPoint => Template.Primary.Name;

    public async Task<List<Sample>> ReadAsync(PointSelection which, DateTimeOffset requestTime, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        var answered = false;
        foreach (var point in Points(which))
        {
            if (_unreadable.Contains(point.Name))
            {
                continue;
            }

            try
            {
                var value = await _client.ReadValueAsync(_address, point.Identifier, point.Format, cancellationToken).ConfigureAwait(false);
                samples.Add(Decoded(point, requestTime, (double)value));
                answered = true;
            }
            catch (Dlt645DeviceException e) when (e.IsUnknownIdentifier)
            {
                _logger.LogWarning("Meter {Meter}: identifier {Identifier} ({Point}, template {Template}) refused by {Device} on {Gateway}: {Error}; no longer asked",
                    Meter.Id, point.Identifier, point.Name, Template.Name, Device, _gateway, e.Message);
                _unreadable.Add(point.Name);
                samples.Add(SampleOf(point, requestTime, 0, ReadingQuality.Missing));
                answered = true;
            }
            catch (Dlt645DeviceException e)
            {
                _logger.LogWarning("Meter {Meter}: {Point} refused: {Error}", Meter.Id, point.Name, e.Message);
                samples.Add(SampleOf(point, requestTime, 0, ReadingQuality.Missing));
                answered = true;
            }
            catch (MeterFrameException e)
            {
                _faults.Record(_gateway, Meter.Id, Device, e);
                samples.Add(SampleOf(point, requestTime, 0, ReadingQuality.Missing));
            }
            catch (MeterTimeoutException) when (answered)
            {
                // It answered a moment ago: keep what it said, and do not spend a timeout on each point left.
                samples.AddRange(Points(which).Where(p => samples.All(s => s.Point != (p.Primary ? null : p.Name))).Select(p => SampleOf(p, requestTime, 0, ReadingQuality.Missing)));
                return samples;
            }
        }

        return samples;
    }

    public List<Sample> Missing(PointSelection which, DateTimeOffset requestTime) =>
        Points(which).Select(p => SampleOf(p, requestTime, 0, ReadingQuality.Missing)).ToList();

    public string UnitOf(string point) => Template.Points.First(p => p.Name == point).Unit;

    private IEnumerable<Dlt645Point> Points(PointSelection which) => which switch
    {
        PointSelection.All => Template.Points,
        PointSelection.Fast => Template.Points.Where(p => p.Fast),
        _ => Template.Points.Where(p => _source.FastInterval is null || !p.Fast),
    };

    private Sample Decoded(Dlt645Point point, DateTimeOffset requestTime, double raw)
    {
        var quality = (point.Min is { } min && raw < min) || (point.Max is { } max && raw > max) ? ReadingQuality.OutOfRange : ReadingQuality.Good;
        return SampleOf(point, requestTime, raw, quality);
    }

    /// <summary>The meter's value as read; the normaliser applies the point's transformer ratios.</summary>
    private Sample SampleOf(Dlt645Point point, DateTimeOffset requestTime, double value, ReadingQuality quality) =>
        new(Meter.Id, point.Primary ? null : point.Name, requestTime, value, point.Primary ? Template.CountingUnit : null, quality, point.Transformer);
}
