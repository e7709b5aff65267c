using System.IO.Ports;
using System.Net;
using EnergyMonitor.Acquisition;
using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.MeterProtocols.Line;
using EnergyMonitor.Simulation.MeterBus;

namespace EnergyMonitor.Integration.Tests.MeterBus;

/// <summary>
/// DL/T 645 and CJ/T 188 lines for real: a serial line through a socat pseudo-terminal pair, and a transparent
/// gateway on loopback polled through the service's poller, with a dead meter and misbehaving meters among live ones.
/// </summary>
public sealed class MeterBusLineTests
{
    private static readonly TemplateSet Templates = TemplateLoader.LoadAll(SiteFixture.TemplatesDirectory()).Templates;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Gateway = """
          - id: gw-645
            transport: transparent
            host: 127.0.0.1
            port: {PORT}
            responseTimeoutMs: 400
        """;

    private const string Meters = """
              - id: m-lifts
                name: 电梯
                kind: electricity
                item: 01C10
                dlt645: { gateway: gw-645, address: "202312000461", template: chint-dtsu666-dlt645 }
              - id: m-it
                name: 信息机房
                kind: electricity
                item: 01D10
                dlt645: { gateway: gw-645, address: "202312000462", template: chint-dtsu666-dlt645 }
              - id: m-old
                name: 老楼照明
                kind: electricity
                item: 01A00
                dlt645: { gateway: gw-645, address: "000000000003", edition: "1997", template: generic-dlt645-1997 }
              - id: m-heat
                name: 换热站热量表
                kind: heat
                unit: GJ
                cjt188: { gateway: gw-645, address: "20231100008801", template: generic-cjt188-heat }
        """;

    [Fact]
    public async Task A_serial_line_reads_both_protocols_through_a_pseudo_terminal_at_2400_baud_8E1()
    {
        await using var pty = new PtyPair();
        await pty.StartAsync(Ct);
        var dlt = new SimulatedDlt645Meter(new MeterId("e"), Dlt645Address.Parse("202312000461"), Templates.Dlt645["chint-dtsu666-dlt645"]) { Counter = 12345.67, RatePerHour = 42.5 };
        var heat = new SimulatedCjt188Meter(new MeterId("h"), Cjt188Address.Parse("20231100008801"), Templates.Cjt188["generic-cjt188-heat"], TimeProvider.System) { Counter = 3341.03, RatePerHour = 0.9, Volume = 88.5 };
        await using var simulated = new SimulatedLine([dlt, heat], baudRate: 2400, TimeSpan.FromMilliseconds(20));
        using var far = new SerialPort(pty.B, 2400, Parity.Even, 8, StopBits.One);
        far.Open();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var serving = Task.Run(() => simulated.ServeAsync(far.BaseStream, stop.Token), Ct);

        await using var line = MeterLine.Serial(pty.A, 2400, Parity.Even, StopBits.One, new MeterLineOptions { ResponseTimeout = TimeSpan.FromSeconds(2) });
        using var dltClient = new Dlt645Client(line);
        using var cjtClient = new Cjt188Client(line);

        var energy = await dltClient.ReadValueAsync(dlt.Address, DataIdentifier.Parse("00010000"), new BcdFormat(4, 2), Ct);
        var power = await dltClient.ReadValueAsync(dlt.Address, DataIdentifier.Parse("02030000"), new BcdFormat(3, 4, Signed: true), Ct);
        var data = await cjtClient.ReadMeteringDataAsync(Cjt188MeterType.Heat, heat.Address, Cjt188Layout.Heat, Ct);

        Assert.Equal(12345.67m, energy);
        Assert.Equal(42.5m, power);
        Assert.Equal(3341.03m, data[Cjt188Field.CurrentHeat].Canonical);
        Assert.Equal(88.5m, data[Cjt188Field.CumulativeFlow].Canonical);
        Assert.Equal(45m, data[Cjt188Field.ReturnTemperature].Value);
        Assert.Equal(2, dlt.Requests);
        Assert.Equal(1, heat.Requests);

        await stop.CancelAsync();
        far.Close();
        await serving.WaitAsync(TimeSpan.FromSeconds(5), Ct);
    }

    [Fact]
    public async Task A_dead_meter_costs_its_timeout_then_its_breaker_and_never_stalls_the_live_ones_on_its_line()
    {
        var (site, simulator) = await StartAsync();
        await using var running = simulator;
        simulator.Meter(new MeterId("m-it")).Fault = BusMeterFault.Silent;
        var pollers = PollerFactory.Create(site, new CapturingSink(), new PollerOptions { DeviceFailuresToPark = 2, DeviceProbeInterval = TimeSpan.FromMinutes(5) }, TimeProvider.System, new ListLogger());
        await using var poller = Assert.Single(pollers);

        var cycles = new List<(TimeSpan Took, IReadOnlyList<Sample> Samples)>();
        for (var i = 0; i < 3; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            cycles.Add((Took: TimeSpan.Zero, Samples: await poller.PollAllOnceAsync(Ct)));
            cycles[^1] = cycles[^1] with { Took = clock.Elapsed };
        }

        foreach (var (_, samples) in cycles)
        {
            Assert.All(samples.Where(s => s.Meter.Value == "m-it"), s => Assert.True((s.Quality & ReadingQuality.Missing) != 0));
            Assert.All(samples.Where(s => s.Meter.Value != "m-it"), s => Assert.Equal(ReadingQuality.Good, s.Quality));
            Assert.Equal(3, samples.Where(s => s.IsReading && s.Quality == ReadingQuality.Good).Select(s => s.Meter).Distinct().Count());
        }

        // The counters read are the simulated meters' own, to the picture's last digit.
        var lifts = cycles[0].Samples.Single(s => s is { Meter.Value: "m-lifts", IsReading: true });
        Assert.Equal((double)SimulatedDlt645Meter.Fit(new BcdFormat(4, 2), simulator.Meter(new MeterId("m-lifts")).Counter), lifts.Value, 6);
        var heat = cycles[0].Samples.Single(s => s is { Meter.Value: "m-heat", IsReading: true });
        Assert.Equal("GJ", heat.Unit?.Symbol);

        // Parked after two silent polls: the third cycle spends no timeout on it.
        Assert.True(cycles[0].Took > TimeSpan.FromMilliseconds(400), $"first cycle {cycles[0].Took}");
        Assert.True(cycles[2].Took < cycles[0].Took - TimeSpan.FromMilliseconds(300), $"cycles took {string.Join(", ", cycles.Select(c => c.Took.TotalMilliseconds))} ms");
        Assert.Equal(2, simulator.Meter(new MeterId("m-it")).Requests);
    }

    [Theory]
    [InlineData(BusMeterFault.BadChecksum, "m-lifts", MeterFrameFault.Checksum)]
    [InlineData(BusMeterFault.WrongAddress, "m-lifts", MeterFrameFault.WrongAddress)]
    [InlineData(BusMeterFault.IllegalDigit, "m-lifts", MeterFrameFault.IllegalDigit)]
    [InlineData(BusMeterFault.Noise, "m-old", MeterFrameFault.Noise)]
    [InlineData(BusMeterFault.Truncated, "m-old", MeterFrameFault.Truncated)]
    [InlineData(BusMeterFault.UnknownUnit, "m-heat", MeterFrameFault.UnknownUnit)]
    [InlineData(BusMeterFault.IllegalDigit, "m-heat", MeterFrameFault.IllegalDigit)]
    public async Task A_malformed_answer_is_counted_and_its_reading_is_missing_never_a_number(BusMeterFault fault, string meter, MeterFrameFault counted)
    {
        var (site, simulator) = await StartAsync();
        await using var running = simulator;
        simulator.Meter(new MeterId(meter)).Fault = fault;
        var faults = new List<(string Gateway, MeterId Meter, MeterFrameFault Fault)>();
        var pollers = PollerFactory.Create(site, new CapturingSink(), new PollerOptions { FrameFaultObserver = (g, m, f) => faults.Add((g, m, f)) }, TimeProvider.System, new ListLogger());
        await using var poller = Assert.Single(pollers);

        var samples = await poller.PollAllOnceAsync(Ct);

        var spoiled = samples.Where(s => s.Meter.Value == meter).ToList();
        Assert.NotEmpty(spoiled);
        Assert.All(spoiled, s => Assert.True((s.Quality & ReadingQuality.Missing) != 0 && s.Value == 0, $"{s.Point}: {s.Value} {s.Quality}"));
        Assert.All(samples.Where(s => s.Meter.Value != meter), s => Assert.Equal(ReadingQuality.Good, s.Quality));
        Assert.NotEmpty(faults);
        Assert.All(faults, f => Assert.Equal((meter, counted), (f.Meter.Value, f.Fault)));
    }

    [Fact]
    public async Task A_technician_finds_the_address_of_the_one_meter_on_a_line_and_reads_its_counter_with_the_frames()
    {
        var port = FreePort.Next();
        var meter = new SimulatedDlt645Meter(new MeterId("e"), Dlt645Address.Parse("202312000461"), Templates.Dlt645["chint-dtsu666-dlt645"]) { Counter = 2664.8, RatePerHour = 12 };
        await using var line = new SimulatedLine([meter], baudRate: 2400);
        line.Start(new IPEndPoint(IPAddress.Loopback, port));
        var dir = Directory.CreateTempSubdirectory("em-645-").FullName;
        try
        {
            string[] at = ["--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            await using (var find = ChildProcess.EnergyMonitor(["dlt645", "find-address", .. at], dir))
            {
                Assert.True(await find.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, find.Output);
                Assert.Contains("address 202312000461", find.Output);
            }

            var template = Path.Combine(SiteFixture.TemplatesDirectory(), "chint-dtsu666-dlt645.yaml");
            await using var read = ChildProcess.EnergyMonitor(["dlt645", "read", .. at, "--address", "202312000461", "--template", template, "--frames"], dir);
            Assert.True(await read.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, read.Output);
            foreach (var line2 in new[] { "00010000 energy_import: 2664.80 kWh", "02030000 power_total: 12.0000 kW", "→ FE FE FE FE 68 61 04 00 12 23 20 68 11 04 33 33 34 33" })
            {
                Assert.True(read.Output.Contains(line2, StringComparison.Ordinal), read.Output);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_scan_of_the_site_reads_every_meter_of_its_lines_into_one_table_and_names_the_one_that_is_silent()
    {
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("em-scan-").FullName;
        try
        {
            var yaml = SiteFixture.Yaml(Gateway.Replace("{PORT}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), Meters);
            await File.WriteAllTextAsync(Path.Combine(dir, "site.yaml"), yaml, Ct);
            Directory.CreateDirectory(Path.Combine(dir, "templates"));
            foreach (var template in Directory.GetFiles(SiteFixture.TemplatesDirectory()))
            {
                File.Copy(template, Path.Combine(dir, "templates", Path.GetFileName(template)));
            }

            var site = SiteFixture.Load(Gateway.Replace("{PORT}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), Meters);
            await using var simulator = new MeterBusSimulator(site, 7, TimeProvider.System, new ListLogger());
            simulator.Start(_ => new IPEndPoint(IPAddress.Loopback, port));
            simulator.Meter(new MeterId("m-old")).Fault = BusMeterFault.Silent;

            await using var scan = ChildProcess.EnergyMonitor(["dlt645", "scan", "--config", Path.Combine(dir, "site.yaml"), "--settings", Path.Combine(dir, "absent.json")], dir);

            Assert.Equal(1, await scan.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
            foreach (var expected in new[] { "m-lifts", "m-it", "m-heat", "heat_power", "202312000461", "points did not answer", "no response from meter 000000000003" })
            {
                Assert.True(scan.Output.Contains(expected, StringComparison.Ordinal), scan.Output);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(LoadedSite Site, MeterBusSimulator Simulator)> StartAsync()
    {
        var port = FreePort.Next();
        var site = SiteFixture.Load(Gateway.Replace("{PORT}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), Meters);
        var simulator = new MeterBusSimulator(site, 7, TimeProvider.System, new ListLogger());
        simulator.Start(_ => new IPEndPoint(IPAddress.Loopback, port));
        await Task.Yield();
        return (site, simulator);
    }
}
