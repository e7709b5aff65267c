using System.IO.Ports;
using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.MeterProtocols.Line;
using EnergyMonitor.Modbus;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>
/// Builds one poller per gateway line that has polled meters: Modbus lines through a Modbus client, DL/T 645 and
/// CJ/T 188 lines through one <see cref="MeterLine"/> that both protocols' clients share.
/// </summary>
public static class PollerFactory
{
    /// <summary>Pollers for the Modbus meters only (the site's other lines need their templates: see the other overload).</summary>
    public static IReadOnlyList<GatewayPoller> Create(
        SiteModel site,
        IReadOnlyDictionary<string, MeterTemplate> templates,
        ISampleSink sink,
        PollerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        Func<string, bool>? includeGateway = null) =>
        Create(new LoadedSite(site, templates), sink, options, time, loggers, includeGateway);

    public static IReadOnlyList<GatewayPoller> Create(
        LoadedSite site,
        ISampleSink sink,
        PollerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        Func<string, bool>? includeGateway = null)
    {
        var pollers = new List<GatewayPoller>();
        var model = site.Model;
        foreach (var gateway in model.Gateways.Where(g => includeGateway?.Invoke(g.Id) ?? true))
        {
            var logger = loggers.CreateLogger($"EnergyMonitor.Polling.{gateway.Id}");
            var (modbus, bus) = PolledOn(site, gateway);
            if (modbus.Count > 0)
            {
                var client = new ModbusClient(Transport(gateway, time));
                var reader = new MeterReader(logger);
                var devices = modbus.Select(m =>
                {
                    var source = (ModbusSource)m.Source;
                    return new ModbusDevice(new PolledMeter(m, source, site.Templates[source.Template], gateway.Quirks.MaxRegistersPerRequest), client, reader);
                }).ToList();
                pollers.Add(new GatewayPoller(gateway, devices, new ModbusLine(client), sink, model.TimeZone, options, time, logger));
            }
            else if (bus.Count > 0)
            {
                pollers.Add(MeterBusPoller(site, gateway, bus, sink, options, time, logger));
            }
        }

        return pollers;
    }

    /// <summary>The gateways that get a poller: those with polled meters (without opening anything).</summary>
    public static IReadOnlyList<string> PolledGateways(LoadedSite site) =>
        [.. site.Model.Gateways.Where(g => PolledOn(site, g) is var (modbus, bus) && (modbus.Count > 0 || bus.Count > 0)).Select(g => g.Id)];

    /// <summary>
    /// A line's polled meters: its Modbus meters with a template, else its DL/T 645 and CJ/T 188 meters (a line carries
    /// one family; the site check refuses a mix).
    /// </summary>
    private static (List<Meter> Modbus, List<Meter> Bus) PolledOn(LoadedSite site, Gateway gateway)
    {
        var onLine = site.Model.Meters.Where(m => m.Source is IPolledSource s && s.Gateway == gateway.Id).ToList();
        return (onLine.Where(m => m.Source is ModbusSource s && site.Templates.ContainsKey(s.Template)).ToList(),
            onLine.Where(m => m.Source is Dlt645Source or Cjt188Source).ToList());
    }

    public static ModbusTransport Transport(Gateway gateway, TimeProvider time)
    {
        var options = new ModbusTransportOptions
        {
            ResponseTimeout = gateway.Quirks.ResponseTimeout,
            PauseAfterConnect = gateway.Quirks.PauseAfterConnect,
            PauseBetweenRequests = gateway.Quirks.PauseBetweenRequests,
        };
        if (gateway.Transport == GatewayTransport.Serial)
        {
            var serial = gateway.SerialFor(MeterProtocol.Modbus);
            return ModbusTransport.Serial(gateway.Host, serial.BaudRate, Parity(serial.Parity), StopBits(serial.StopBits), options, time);
        }

        return ModbusTransport.Tcp(gateway.Host, gateway.Port, gateway.Transport == GatewayTransport.Tcp ? ModbusFraming.Tcp : ModbusFraming.Rtu, options, time);
    }

    /// <summary>The line of a gateway that carries DL/T 645 or CJ/T 188 meters: a transparent gateway or a local port.</summary>
    public static MeterLine Line(Gateway gateway, TimeProvider time)
    {
        var options = new MeterLineOptions
        {
            ResponseTimeout = gateway.Quirks.ResponseTimeout,
            PauseAfterConnect = gateway.Quirks.PauseAfterConnect,
            PauseBetweenRequests = gateway.Quirks.PauseBetweenRequests > TimeSpan.Zero ? gateway.Quirks.PauseBetweenRequests : new MeterLineOptions().PauseBetweenRequests,
        };
        if (gateway.Transport == GatewayTransport.Serial)
        {
            var serial = gateway.SerialFor(MeterProtocol.Dlt645);
            return MeterLine.Serial(gateway.Host, serial.BaudRate, Parity(serial.Parity), StopBits(serial.StopBits), options, time);
        }

        return MeterLine.Tcp(gateway.Host, gateway.Port, options, time);
    }

    private static GatewayPoller MeterBusPoller(LoadedSite site, Gateway gateway, IReadOnlyList<Meter> meters, ISampleSink sink, PollerOptions options, TimeProvider time, ILogger logger)
    {
        var line = Line(gateway, time);
        var dlt645 = new Dlt645Client(line);
        var cjt188 = new Cjt188Client(line);
        var faults = new FrameFaults(time, logger, options.FrameFaultObserver);
        var devices = new List<ILineDevice>();
        foreach (var meter in meters)
        {
            switch (meter.Source)
            {
                case Dlt645Source d when site.Dlt645Templates.TryGetValue(d.Template, out var template):
                    devices.Add(new Dlt645Device(gateway.Id, meter, d, template, dlt645, faults, logger));
                    break;
                case Cjt188Source c when site.Cjt188Templates.TryGetValue(c.Template, out var template):
                    devices.Add(new Cjt188Device(gateway.Id, meter, c, template, cjt188, faults, logger));
                    break;
            }
        }

        return new GatewayPoller(gateway, devices, new MeterBusLine(line, [dlt645, cjt188]), sink, site.Model.TimeZone, options, time, logger);
    }

    private static Parity Parity(SerialParity parity) => parity switch
    {
        SerialParity.Even => System.IO.Ports.Parity.Even,
        SerialParity.Odd => System.IO.Ports.Parity.Odd,
        _ => System.IO.Ports.Parity.None,
    };

    private static StopBits StopBits(int stopBits) => stopBits == 2 ? System.IO.Ports.StopBits.Two : System.IO.Ports.StopBits.One;
}
