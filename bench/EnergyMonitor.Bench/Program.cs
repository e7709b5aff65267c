using System.Diagnostics;
using System.Globalization;
using System.Net;
using BenchmarkDotNet.Running;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Bench;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

// dotnet run -c Release --project bench/EnergyMonitor.Bench -- codec | lineprotocol | rps [seconds] | cycle [meters] [gateways] | influx-write URL [points]
var command = args.FirstOrDefault() ?? "help";
switch (command)
{
    case "codec":
        BenchmarkRunner.Run<CodecBenchmarks>(args: args[1..]);
        break;
    case "lineprotocol":
        BenchmarkRunner.Run<LineProtocolBenchmarks>(args: args[1..]);
        break;
    case "influx-write":
        await InfluxWriteBench.RunAsync(new Uri(args[1]), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500_000,
            args.Length > 3 ? Enum.Parse<EnergyMonitor.Storage.Embedded.SqliteSynchronous>(args[3], ignoreCase: true) : EnergyMonitor.Storage.Embedded.SqliteSynchronous.Full);
        break;
    case "mqtt-ingest":
        await MqttIngestBench.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), double.Parse(args[5], CultureInfo.InvariantCulture));
        break;
    case "backfill":
        await BackfillBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 365, args.Length > 3 && args[3] != "-" ? args[3] : null,
            args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault());
        break;
    case "submission":
        await SubmissionBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100);
        break;
    case "anomalies":
        await AnomalyBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
        break;
    case "assess":
        AssessBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
        break;
    case "api":
        await ApiLoadBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50, args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 30,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5000, args.Contains("--distinct"),
            args.SkipWhile(a => a != "--rate").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(),
            args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault());
        break;
    case "console":
        await ConsoleLoadBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10, args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 30,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 400);
        break;
    case "service":
        await ServiceBench.RunAsync(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10,
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 5000, args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 10);
        break;
    case "serve":
        await ServeAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
        break;
    case "rps":
        await RequestRateAsync(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5);
        break;
    case "meterbus-cycle":
        await MeterBusCycleBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
        break;
    case "cycle":
        await CycleAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50);
        break;
    default:
        Console.WriteLine("usage: codec|lineprotocol [BenchmarkDotNet args] | rps [seconds] | cycle [meters] [gateways] | meterbus-cycle [meters] [rounds] | influx-write URL [points] (see bench/influx-write.sh) | mqtt-ingest PORT messages readings-per-message paced-rate paced-seconds (see bench/mqtt-ingest.sh) | backfill [meters] [days] [keep.db|-] [--postgres CONNECTION] (see bench/postgres-backfill.sh) | assess [runs] | anomalies [meters] [runs] | submission [institutions] | api [clients] [seconds] [mqtt-messages] [--distinct] [--rate per-client-per-second] [--postgres CONNECTION] (see bench/postgres-api.sh) | console [people] [seconds] [days] (see bench/console.sh) | service INFLUX_URL MQTT_PORT [minutes] [mqtt-readings-per-second] [readings-per-message] (see bench/service.sh)");
        break;
}

// Servers run in a child process, so that the client's CPU and allocations are measured alone.
static async Task ServeAsync(int gateways, int unitsPerGateway)
{
    var servers = new List<ModbusServer>();
    for (var g = 0; g < gateways; g++)
    {
        var units = Enumerable.Range(1, unitsPerGateway).ToDictionary(u => (byte)u, _ => new ModbusDataBank());
        var server = new ModbusServer(units, ModbusFraming.Tcp);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        servers.Add(server);
    }

    Console.WriteLine(string.Join(' ', servers.Select(s => s.Port)));
    await Task.Delay(Timeout.Infinite);
}

static (Process Process, int[] Ports) StartServers(int gateways, int units)
{
    var self = Environment.ProcessPath!;
    var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        info.ArgumentList.Add(typeof(CodecBenchmarks).Assembly.Location);
    }

    foreach (var a in new[] { "serve", gateways.ToString(CultureInfo.InvariantCulture), units.ToString(CultureInfo.InvariantCulture) })
    {
        info.ArgumentList.Add(a);
    }

    var process = Process.Start(info)!;
    var ports = process.StandardOutput.ReadLine()!.Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    return (process, ports);
}

static async Task RequestRateAsync(double seconds)
{
    var (server, ports) = StartServers(1, 1);
    try
    {
        await using var client = new ModbusClient(ModbusTransport.Tcp("127.0.0.1", ports[0], ModbusFraming.Tcp));
        var registers = new ushort[10];
        for (var i = 0; i < 2000; i++)
        {
            await client.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        long n = 0;
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            await client.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None);
            n++;
        }

        var ours = n / stopwatch.Elapsed.TotalSeconds;
        var bytesPerRequest = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)n;

        var python = Process.Start(new ProcessStartInfo("/usr/bin/python3",
            [Path.Combine(AppContext.BaseDirectory, "pymodbus_client_rps.py"), ports[0].ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), "10"])
        { RedirectStandardOutput = true })!;
        var parts = (await python.StandardOutput.ReadToEndAsync()).Trim().Split(' ');
        await python.WaitForExitAsync();
        var baseline = double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"EnergyMonitor client: {ours:N0} requests/s, {bytesPerRequest:F1} bytes allocated per request (10 registers, one loopback connection, {seconds} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pymodbus 3.0 client:  {baseline:N0} requests/s (same server, same run)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: {ours / baseline:F1}×"));
    }
    finally
    {
        server.Kill();
    }
}

static async Task CycleAsync(int meters, int gateways)
{
    var perGateway = meters / gateways;
    var (server, ports) = StartServers(gateways, perGateway);
    try
    {
        // Two blocks per meter: an energy counter and a block of instantaneous values, far apart in the map.
        TemplatePoint Point(string name, ushort address, bool primary) =>
            new(name, "", ModbusFunction.ReadHoldingRegisters, [new RegisterField(address, RegisterType.Float32, WordOrder.ABCD, 1)], 0, "kWh", primary, false, TransformerScaling.None, null, null);
        var template = new MeterTemplate("bench", "bench", "bench", "bench", 125, 8, UnitCatalog.Kwh,
            [Point("energy", 0x401E, true), Point("u", 0x2006, false), Point("i", 0x200C, false), Point("p", 0x2012, false)]);
        var sink = new CountingSink();
        var pollers = new List<GatewayPoller>();
        for (var g = 0; g < gateways; g++)
        {
            var gateway = new Gateway($"g{g}", GatewayTransport.Tcp, "127.0.0.1", ports[g], GatewayQuirks.Default);
            var polled = Enumerable.Range(1, perGateway).Select(u =>
            {
                var source = new ModbusSource(gateway.Id, (byte)u, "bench");
                var meter = new Meter(new MeterId($"m{g}-{u}"), "m", EnergyKind.Electricity, null, UnitCatalog.Kwh, Multiplier.One,
                    ReadingMode.Cumulative, TimeSpan.FromMinutes(15), null, null, null, [], source);
                return new PolledMeter(meter, source, template, 125);
            }).ToList();
            var client = new ModbusClient(PollerFactory.Transport(gateway, TimeProvider.System));
            var reader = new MeterReader(NullLogger.Instance);
            pollers.Add(new GatewayPoller(gateway, polled.Select(p => new ModbusDevice(p, client, reader)), new ModbusLine(client), sink,
                TimeZoneInfo.Utc, new PollerOptions(), TimeProvider.System, NullLogger.Instance));
        }

        var blocks = pollers.Sum(p => p.Devices.OfType<ModbusDevice>().Sum(m => m.Polled.SlowBlocks.Count));
        await Task.WhenAll(pollers.Select(p => p.PollAllOnceAsync(CancellationToken.None))); // connect and warm up
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        const int cycles = 10;
        var samples = 0;
        for (var c = 0; c < cycles; c++)
        {
            var results = await Task.WhenAll(pollers.Select(p => Task.Run(() => p.PollAllOnceAsync(CancellationToken.None))));
            samples += results.Sum(r => r.Count);
        }

        var wall = stopwatch.Elapsed / cycles;
        process.Refresh();
        var cpuPerCycle = (process.TotalProcessorTime - cpu) / cycles;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{meters} meters on {gateways} gateways, {blocks} blocks per cycle: {wall.TotalMilliseconds:F0} ms per cycle (mean of {cycles}), " +
            $"collector CPU {cpuPerCycle.TotalMilliseconds:F0} ms per cycle, working set {process.WorkingSet64 / 1048576.0:F0} MB, " +
            $"GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB, {samples / cycles} samples per cycle"));
        foreach (var poller in pollers)
        {
            await poller.DisposeAsync();
        }
    }
    finally
    {
        server.Kill();
    }
}

internal sealed class CountingSink : ISampleSink
{
    public ValueTask AcceptAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
