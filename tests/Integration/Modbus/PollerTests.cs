using System.Globalization;
using System.Net;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Modbus;
using EnergyMonitor.Simulation;

namespace EnergyMonitor.Integration.Tests.Modbus;

/// <summary>The poller against the simulator and against misbehaving peers, on real loopback sockets.</summary>
public sealed class PollerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Gateway(string id, int port, string transport = "tcp") =>
        $"- {{ id: {id}, transport: {transport}, host: 127.0.0.1, port: {port.ToString(CultureInfo.InvariantCulture)}, responseTimeoutMs: 300 }}";

    private static string Meter(string id, string gateway, int unit, string template, string extra = "") =>
        $"- {{ id: {id}, name: {id}, kind: electricity, multiplier: {{ ct: 100/5 }}, modbus: {{ gateway: {gateway}, unit: {unit}, template: {template}{extra} }} }}";

    [Fact]
    public async Task The_poller_reads_what_the_simulated_meters_hold_through_tcp_and_rtu_gateways()
    {
        int tcpPort = FreePort.Next(), rtuPort = FreePort.Next();
        var site = SiteFixture.Load(
            Gateway("g-tcp", tcpPort) + "\n" + Gateway("g-rtu", rtuPort, "rtu-over-tcp"),
            Meter("dtsu", "g-tcp", 1, "chint-dtsu666") + "\n" + Meter("acrel", "g-tcp", 2, "acrel-adl3000e") + "\n" + Meter("sdm", "g-rtu", 7, "eastron-sdm630"));
        await using var simulator = new ModbusSimulator(site, seed: 5, TimeProvider.System, new ListLogger());
        simulator.Start();
        var sink = new CapturingSink();
        var pollers = PollerFactory.Create(site.Model, site.Templates, sink, new PollerOptions(), TimeProvider.System, new ListLogger());

        var samples = (await Task.WhenAll(pollers.Select(p => p.PollAllOnceAsync(Ct)))).SelectMany(s => s).ToList();

        Assert.All(samples, s => Assert.Equal(ReadingQuality.Good, s.Quality));
        var normalizer = new SampleNormalizer(site.Model);
        foreach (var meter in new[] { "dtsu", "acrel", "sdm" })
        {
            var sample = samples.Single(s => s.Meter.Value == meter && s.IsReading);

            // The sample is what the device shows, the secondary-side counter; the reading is primary-side: × CT 100/5 = 20.
            Assert.Equal(simulator.CounterOf(new MeterId(meter)), sample.Value, 0.0005 * sample.Value);
            Assert.Equal(TransformerScaling.Both, sample.Scaling);
            Assert.Equal("kWh", sample.Unit?.Symbol);
            Assert.True(normalizer.TryNormalize(sample, out var reading));
            Assert.Equal(sample.Value * 20, reading.Value, 1e-9 * reading.Value);
        }

        Assert.Equal(230.0, samples.Single(s => s is { Point: "voltage_a" }).Value, 3);
        foreach (var poller in pollers)
        {
            await poller.DisposeAsync();
        }
    }

    public static TheoryData<string> Faults => new() { "silent-device", "accept-then-silent", "reset-mid-frame", "wrong-transaction-id" };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_faulty_gateway_does_not_delay_the_meters_of_another_gateway(string fault)
    {
        var goodPort = FreePort.Next();
        await using var silentServer = new ModbusServer(new Dictionary<byte, ModbusDataBank> { [1] = new() }, ModbusFraming.Tcp);
        FaultyPeer? peer = fault switch
        {
            "accept-then-silent" => new FaultyPeer(FaultyPeer.Fault.AcceptThenSilent),
            "reset-mid-frame" => new FaultyPeer(FaultyPeer.Fault.ResetMidFrame),
            "wrong-transaction-id" => new FaultyPeer(FaultyPeer.Fault.WrongTransactionId),
            _ => null,
        };
        if (peer is null)
        {
            silentServer.SilentUnits.Add(1);
            silentServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        }

        await using var _ = peer;
        var badPort = peer?.Port ?? silentServer.Port;
        var fast = ", fastIntervalSeconds: 1";
        var simSite = SiteFixture.Load(Gateway("good", goodPort), Meter("m-good", "good", 1, "chint-dtsu666", fast));
        var pollSite = SiteFixture.Load(
            Gateway("good", goodPort) + "\n" + Gateway("bad", badPort),
            Meter("m-good", "good", 1, "chint-dtsu666", fast) + "\n" + Meter("m-bad", "bad", 1, "chint-dtsu666", fast));
        await using var simulator = new ModbusSimulator(simSite, 1, TimeProvider.System, new ListLogger());
        simulator.Start();
        var sink = new CapturingSink();
        var logger = new ListLogger();
        var pollers = PollerFactory.Create(pollSite.Model, pollSite.Templates, sink, new PollerOptions { DeviceProbeInterval = TimeSpan.FromSeconds(3) }, TimeProvider.System, logger);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        run.CancelAfter(TimeSpan.FromSeconds(6));
        await Task.WhenAll(pollers.Select(p => Task.Run(() => p.RunAsync(run.Token), Ct)));

        var good = sink.Samples.Where(s => s is { Meter.Value: "m-good", Point: "power_total" }).Select(s => s.Timestamp).Order().ToList();
        Assert.True(good.Count >= 4, $"{good.Count} fast polls of the healthy meter in 6 s");
        var gaps = good.Zip(good.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.True(gaps.Max() < 2.5, $"largest gap {gaps.Max():F2} s; log:\n{string.Join('\n', logger.Messages)}");
        Assert.All(sink.Samples.Where(s => s.Meter.Value == "m-good"), s => Assert.Equal(ReadingQuality.Good, s.Quality));
        var bad = sink.Samples.Where(s => s.Meter.Value == "m-bad").ToList();
        Assert.NotEmpty(bad);
        Assert.All(bad, s => Assert.Equal(ReadingQuality.Missing, s.Quality));
        foreach (var poller in pollers)
        {
            await poller.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_dead_unit_is_parked_and_costs_its_gateway_neighbour_at_most_one_timeout_per_probe()
    {
        var port = FreePort.Next();
        var fast = ", fastIntervalSeconds: 1";
        var site = SiteFixture.Load(Gateway("g", port), Meter("alive", "g", 1, "chint-dtsu666", fast) + "\n" + Meter("dead", "g", 2, "chint-dtsu666", fast));
        await using var simulator = new ModbusSimulator(site, 1, TimeProvider.System, new ListLogger());
        simulator.Start();
        var server = simulator.Servers["g"];
        server.SilentUnits.Add(2);
        var sink = new CapturingSink();
        var logger = new ListLogger();
        var pollers = PollerFactory.Create(site.Model, site.Templates, sink,
            new PollerOptions { DeviceFailuresToPark = 2, DeviceProbeInterval = TimeSpan.FromSeconds(3) }, TimeProvider.System, logger);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        run.CancelAfter(TimeSpan.FromSeconds(9));
        await Task.WhenAll(pollers.Select(p => Task.Run(() => p.RunAsync(run.Token), Ct)));

        // Unparked, the dead unit would be asked about 10 times (every second plus the start); parked after two
        // failures and probed every 3 s, it is asked the two plus about three probes.
        Assert.InRange(server.RequestsFor(2), 2, 6);
        var alive = sink.Samples.Where(s => s is { Meter.Value: "alive", Point: "power_total" }).Select(s => s.Timestamp).Order().ToList();
        var gaps = alive.Zip(alive.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.True(alive.Count >= 7, $"{alive.Count} polls");
        Assert.True(gaps.Max() < 2.0, $"largest gap {gaps.Max():F2} s");
        Assert.Contains(logger.Messages, m => m.Contains("unit 2", StringComparison.Ordinal) && m.Contains("parked", StringComparison.Ordinal));
        Assert.Contains(sink.Samples, s => s.Meter.Value == "dead" && s.Quality == ReadingQuality.Missing);
        foreach (var poller in pollers)
        {
            await poller.DisposeAsync();
        }
    }
}
