using System.Net;
using System.Net.Sockets;
using EnergyMonitor.Acquisition;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Modbus;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Simulation;

/// <summary>
/// Serves every Modbus meter of a site from its template: one server per gateway (MBAP or RTU framing as the
/// gateway is configured), counters advancing in real time with the demo's load profiles.
/// </summary>
public sealed class ModbusSimulator : IAsyncDisposable
{
    private readonly LoadedSite _site;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly SimulatedSite _profiles;
    private readonly List<SimulatedDevice> _devices = [];
    private readonly Dictionary<string, ModbusServer> _servers = [];
    private DateTimeOffset _last;

    /// <param name="continueFrom">Each meter's last reading (canonical unit) to go on counting from, as after a history; default a random start.</param>
    public ModbusSimulator(LoadedSite site, int seed, TimeProvider time, ILoggerFactory loggers, IReadOnlyDictionary<MeterId, Reading>? continueFrom = null)
    {
        _site = site;
        _time = time;
        _loggers = loggers;
        _profiles = new SimulatedSite(site.Model, seed);
        var random = new Random(seed);
        foreach (var meter in site.Model.Meters.Where(m => m.Source is ModbusSource))
        {
            var source = (ModbusSource)meter.Source;
            var template = site.Templates[source.Template];
            var bank = new ModbusDataBank(PointSimulation.MappedRegisters(template));
            var start = Math.Round(1000 + (random.NextDouble() * 20_000), 1);
            if (continueFrom?.GetValueOrDefault(meter.Id) is { Meter.Value: not null } last)
            {
                // The device shows the counter in its template's unit on the secondary side of its transformers.
                start = UnitCatalog.Convert(last.Value, meter.CanonicalUnit, template.CountingUnit) / Transformers.Factor(template.Primary.Transformer, meter.Multiplier);
            }

            _devices.Add(new SimulatedDevice(meter, source, template, bank, start));
        }
    }

    public IReadOnlyDictionary<string, ModbusServer> Servers => _servers;

    /// <summary>Starts one server per gateway; <paramref name="bind"/> chooses where (default: the gateway's own host and port).</summary>
    public void Start(Func<Gateway, IPEndPoint>? bind = null)
    {
        bind ??= g => new IPEndPoint(IPAddress.Parse(g.Host), g.Port);
        _last = _time.GetUtcNow();
        Update(TimeSpan.Zero);
        // Lines of DL/T 645 and CJ/T 188 meters are the MeterBusSimulator's.
        foreach (var gateway in _site.Model.Gateways.Where(g => g.Transport != GatewayTransport.Serial && !_site.Model.Meters.Any(m => m.Source is Dlt645Source or Cjt188Source && ((IPolledSource)m.Source).Gateway == g.Id)))
        {
            var units = _devices.Where(d => d.Source.Gateway == gateway.Id).ToDictionary(d => d.Source.UnitId, d => d.Bank);
            var server = new ModbusServer(units, gateway.Transport == GatewayTransport.Tcp ? ModbusFraming.Tcp : ModbusFraming.Rtu,
                _loggers.CreateLogger($"EnergyMonitor.Simulator.{gateway.Id}"));
            var endpoint = bind(gateway);
            try
            {
                server.Start(endpoint);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
            {
                // The demo crashed with a bare SocketException when another program held a gateway's port.
                throw new GatewayPortUnavailableException(gateway.Id, endpoint, e);
            }

            _servers[gateway.Id] = server;
        }
    }

    /// <summary>
    /// Binds and releases each gateway's endpoint, so that a taken port is said before a long history is written, not
    /// after; <see cref="Start"/> still reports one taken in between.
    /// </summary>
    public static void CheckPorts(LoadedSite site)
    {
        foreach (var gateway in site.Model.Gateways.Where(g => g.Transport != GatewayTransport.Serial))
        {
            if (!IPAddress.TryParse(gateway.Host, out var address))
            {
                continue; // a host name: Start resolves nothing either, and says so there
            }

            var endpoint = new IPEndPoint(address, gateway.Port);
            var probe = new TcpListener(endpoint);
            try
            {
                probe.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
            {
                throw new GatewayPortUnavailableException(gateway.Id, endpoint, e);
            }
            finally
            {
                probe.Stop();
            }
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

    /// <summary>A device's counter as its display shows it: template counting unit, secondary side.</summary>
    public double CounterOf(MeterId meter) => _devices.Single(d => d.Meter.Id == meter).Counter;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Update(TimeSpan elapsed)
    {
        var now = _time.GetUtcNow();
        foreach (var device in _devices)
        {
            var primary = device.Template.Primary;
            var secondaryFactor = Transformers.Factor(primary.Transformer, device.Meter.Multiplier);
            var canonicalPerHour = _profiles.RatePerHour(device.Meter.Id, now);
            var ratePerHour = UnitCatalog.Convert(canonicalPerHour, device.Meter.CanonicalUnit, device.Template.CountingUnit) / secondaryFactor;
            device.Counter += ratePerHour * elapsed.TotalHours;
            foreach (var point in device.Template.Points)
            {
                PointSimulation.Write(device.Bank, point, PointSimulation.ValueOf(point, device.Counter, ratePerHour));
            }
        }
    }

    private sealed class SimulatedDevice(Meter meter, ModbusSource source, MeterTemplate template, ModbusDataBank bank, double counter)
    {
        public Meter Meter { get; } = meter;

        public ModbusSource Source { get; } = source;

        public MeterTemplate Template { get; } = template;

        public ModbusDataBank Bank { get; } = bank;

        public double Counter { get; set; } = counter;
    }
}

/// <summary>A simulated gateway could not listen where the site file puts it: the port is taken or not ours to use.</summary>
public sealed class GatewayPortUnavailableException(string gateway, IPEndPoint endpoint, SocketException inner)
    : IOException($"gateway {gateway} cannot listen on {endpoint}: {(inner.SocketErrorCode == SocketError.AddressAlreadyInUse ? "another program is using the port" : inner.Message)}; stop it, or give the gateway another port in the site file", inner)
{
    public string Gateway { get; } = gateway;

    public IPEndPoint Endpoint { get; } = endpoint;
}
