using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Modbus;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>Builds one poller per gateway that has Modbus meters.</summary>
public static class PollerFactory
{
    public static IReadOnlyList<GatewayPoller> Create(
        SiteModel site,
        IReadOnlyDictionary<string, MeterTemplate> templates,
        ISampleSink sink,
        PollerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        Func<string, bool>? includeGateway = null)
    {
        var pollers = new List<GatewayPoller>();
        foreach (var gateway in site.Gateways.Where(g => includeGateway?.Invoke(g.Id) ?? true))
        {
            var meters = site.Meters
                .Where(m => m.Source is ModbusSource s && s.Gateway == gateway.Id)
                .Select(m => new PolledMeter(m, (ModbusSource)m.Source, templates[((ModbusSource)m.Source).Template], gateway.Quirks.MaxRegistersPerRequest))
                .ToList();
            if (meters.Count == 0)
            {
                continue;
            }

            pollers.Add(new GatewayPoller(gateway, meters, new ModbusClient(Transport(gateway, time)), sink, site.TimeZone, options, time,
                loggers.CreateLogger($"EnergyMonitor.Polling.{gateway.Id}")));
        }

        return pollers;
    }

    public static ModbusTransport Transport(Gateway gateway, TimeProvider time) =>
        ModbusTransport.Tcp(gateway.Host, gateway.Port, gateway.Transport == GatewayTransport.Tcp ? ModbusFraming.Tcp : ModbusFraming.Rtu,
            new ModbusTransportOptions
            {
                ResponseTimeout = gateway.Quirks.ResponseTimeout,
                PauseAfterConnect = gateway.Quirks.PauseAfterConnect,
                PauseBetweenRequests = gateway.Quirks.PauseBetweenRequests,
            },
            time);
}
