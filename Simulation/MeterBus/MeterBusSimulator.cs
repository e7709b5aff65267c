using System.Net;
using System.Net.Sockets;
using EnergyMonitor.Acquisition;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Simulation.MeterBus;

/// <summary>
/// Serves every DL/T 645 and CJ/T 188 meter of a site from its template, one simulated transparent gateway per
/// line, counters advancing in real time with the demo's load profiles, as <see cref="ModbusSimulator"/> does for Modbus.
/// </summary>
public sealed class MeterBusSimulator : IAsyncDisposable
{
    private readonly LoadedSite _site;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly SimulatedSite _profiles;
    private readonly Dictionary<string, List<SimulatedBusMeter>> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedLine> _servers = new(StringComparer.Ordinal);
    private DateTimeOffset _last;

    public MeterBusSimulator(LoadedSite site, int seed, TimeProvider time, ILoggerFactory loggers, IReadOnlyDictionary<MeterId, Reading>? continueFrom = null)
    {
        _site = site;
        _time = time;
        _loggers = loggers;
        _profiles = new SimulatedSite(site.Model, seed);
        var random = new Random(seed);
        foreach (var meter in site.Model.Meters)
        {
            SimulatedBusMeter? simulated = meter.Source switch
            {
                Dlt645Source d when site.Dlt645Templates.TryGetValue(d.Template, out var t) => new SimulatedDlt645Meter(meter.Id, Dlt645Address.Parse(d.Address), t),
                Cjt188Source c when site.Cjt188Templates.TryGetValue(c.Template, out var t) => new SimulatedCjt188Meter(meter.Id, Cjt188Address.Parse(c.Address), t, time),
                _ => null,
            };
            if (simulated is null)
            {
                continue;
            }

            var counting = CountingUnit(simulated);
            var factor = meter.Source is Dlt645Source ? Transformers.Factor(TransformerScaling.Both, meter.Multiplier) : 1;
            simulated.Counter = continueFrom?.GetValueOrDefault(meter.Id) is { Meter.Value: not null } last
                ? UnitCatalog.Convert(last.Value, meter.CanonicalUnit, counting) / factor
                : Math.Round(1000 + (random.NextDouble() * 20_000), 1);
            if (simulated is SimulatedCjt188Meter heat)
            {
                // A heat meter that has run for years: its volume and hours are not zero either.
                heat.Volume = Math.Round(SimulatedCjt188Meter.CubicMetresPer(simulated.Counter), 2);
                heat.RunningHours = 20_000;
            }

            var gateway = ((IPolledSource)meter.Source).Gateway;
            if (!_lines.TryGetValue(gateway, out var line))
            {
                _lines[gateway] = line = [];
            }

            line.Add(simulated);
        }
    }

    public IReadOnlyDictionary<string, SimulatedLine> Lines => _servers;

    public SimulatedBusMeter Meter(MeterId id) => _lines.Values.SelectMany(l => l).Single(m => m.Id == id);

    public void Start(Func<Gateway, IPEndPoint>? bind = null)
    {
        bind ??= g => new IPEndPoint(IPAddress.Parse(g.Host), g.Port);
        _last = _time.GetUtcNow();
        Update(TimeSpan.Zero);
        foreach (var gateway in _site.Model.Gateways.Where(g => _lines.ContainsKey(g.Id)))
        {
            var line = new SimulatedLine(_lines[gateway.Id], 2400, TimeSpan.FromMilliseconds(30), _loggers.CreateLogger($"EnergyMonitor.Simulator.{gateway.Id}"));
            var endpoint = bind(gateway);
            try
            {
                line.Start(endpoint);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
            {
                throw new GatewayPortUnavailableException(gateway.Id, endpoint, e);
            }

            _servers[gateway.Id] = line;
        }
    }

    /// <summary>Advances the counters once a second until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetUtcNow();
                Update(now - _last);
                _last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static UnitInfo CountingUnit(SimulatedBusMeter meter) => meter switch
    {
        SimulatedDlt645Meter d => d.Template.CountingUnit,
        SimulatedCjt188Meter c => c.Template.CountingUnit,
        _ => UnitCatalog.Kwh,
    };

    private void Update(TimeSpan elapsed)
    {
        var now = _time.GetUtcNow();
        foreach (var simulated in _lines.Values.SelectMany(l => l))
        {
            var meter = _site.Model.Meters.First(m => m.Id == simulated.Id);
            var factor = meter.Source is Dlt645Source ? Transformers.Factor(TransformerScaling.Both, meter.Multiplier) : 1;
            var rate = UnitCatalog.Convert(_profiles.RatePerHour(meter.Id, now), meter.CanonicalUnit, CountingUnit(simulated)) / factor;
            simulated.RatePerHour = rate;
            simulated.Counter += rate * elapsed.TotalHours;
            simulated.RunningHours += elapsed.TotalHours;
            if (simulated is SimulatedCjt188Meter heat)
            {
                heat.Volume += SimulatedCjt188Meter.CubicMetresPer(rate * elapsed.TotalHours);
            }
        }
    }
}
