using System.Globalization;
using System.IO.Ports;
using System.Net;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Integration.Tests.Modbus;

/// <summary>Our server read by mbpoll (Debian), an independent Modbus master: over TCP, and over a serial pty pair with RTU.</summary>
public sealed class MbpollInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ModbusDataBank BankWith(double energy, ushort voltageTenths)
    {
        var bank = new ModbusDataBank();
        Span<ushort> registers = stackalloc ushort[2];
        // mbpoll reads floats word-swapped (CDAB) unless told -B; hold the energy that way.
        RegisterDecoder.Encode(energy, RegisterType.Float32, WordOrder.CDAB, registers);
        bank.WriteRegisters(ModbusFunction.ReadHoldingRegisters, 0x0156, registers);
        bank.WriteRegisters(ModbusFunction.ReadInputRegisters, 0x0000, [voltageTenths]);
        return bank;
    }

    private static IEnumerable<string> Values(string output) =>
        output.Split('\n').Where(l => l.TrimStart().StartsWith('[')).Select(l => l.Split(':', 2)[1].Trim());

    [Fact]
    public async Task Mbpoll_reads_over_tcp_the_values_our_server_holds()
    {
        await using var server = new ModbusServer(new Dictionary<byte, ModbusDataBank> { [7] = BankWith(48213.5, 2301) }, ModbusFraming.Tcp);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var port = server.Port.ToString(CultureInfo.InvariantCulture);

        // mbpoll counts references from 1: register 0x0156 is reference 343.
        await using var energy = ChildProcess.Start("mbpoll", ["-m", "tcp", "-p", port, "-a", "7", "-t", "4:float", "-r", "343", "-c", "1", "-1", "127.0.0.1"]);
        await using var voltage = ChildProcess.Start("mbpoll", ["-m", "tcp", "-p", port, "-a", "7", "-t", "3", "-r", "1", "-c", "1", "-1", "127.0.0.1"]);

        Assert.Equal(0, await energy.WaitForExitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.Equal(0, await voltage.WaitForExitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.Equal(["48213.5"], Values(energy.Output));
        Assert.Equal(["2301"], Values(voltage.Output));
    }

    [Fact]
    public async Task Mbpoll_reads_from_the_simulator_the_counter_it_holds()
    {
        var port = FreePort.Next();
        var site = SiteFixture.Load(
            $"- {{ id: g, transport: tcp, host: 127.0.0.1, port: {port.ToString(CultureInfo.InvariantCulture)} }}",
            "- { id: m, name: m, kind: electricity, modbus: { gateway: g, unit: 4, template: chint-dtsu666 } }");
        await using var simulator = new EnergyMonitor.Simulation.ModbusSimulator(site, 3, TimeProvider.System, new ListLogger());
        simulator.Start();

        // DTSU666 holds ImpEp at 0x401E (reference 16415) as an ABCD float: -B tells mbpoll so.
        await using var mbpoll = ChildProcess.Start("mbpoll",
            ["-m", "tcp", "-p", port.ToString(CultureInfo.InvariantCulture), "-a", "4", "-t", "4:float", "-B", "-r", "16415", "-c", "1", "-1", "127.0.0.1"]);

        Assert.Equal(0, await mbpoll.WaitForExitAsync(TimeSpan.FromSeconds(15), Ct));
        var shown = double.Parse(Assert.Single(Values(mbpoll.Output)), CultureInfo.InvariantCulture);
        // The simulator only advances once a second, and mbpoll prints 6 significant digits.
        Assert.Equal((float)simulator.CounterOf(new Core.Domain.MeterId("m")), shown, 0.5);
    }

    [Fact]
    public async Task A_gateway_port_another_program_holds_is_named_before_and_at_start_not_a_bare_socket_error()
    {
        using var other = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var site = SiteFixture.Load(
            $"- {{ id: gw-taken, transport: tcp, host: 127.0.0.1, port: {port.ToString(CultureInfo.InvariantCulture)} }}",
            "- { id: m, name: m, kind: electricity, modbus: { gateway: gw-taken, unit: 4, template: chint-dtsu666 } }");

        var before = Assert.Throws<EnergyMonitor.Simulation.GatewayPortUnavailableException>(() => EnergyMonitor.Simulation.ModbusSimulator.CheckPorts(site));
        await using var simulator = new EnergyMonitor.Simulation.ModbusSimulator(site, 3, TimeProvider.System, new ListLogger());
        var atStart = Assert.Throws<EnergyMonitor.Simulation.GatewayPortUnavailableException>(() => simulator.Start());

        Assert.All(new[] { before, atStart }, e =>
        {
            Assert.Equal("gw-taken", e.Gateway);
            Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
            Assert.Contains("another program is using the port", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Mbpoll_reads_our_rtu_server_over_a_serial_line()
    {
        await using var pty = new PtyPair();
        await pty.StartAsync(Ct);
        await using var server = new ModbusServer(new Dictionary<byte, ModbusDataBank> { [3] = BankWith(1234.25, 2199) }, ModbusFraming.Rtu);
        using var port = new SerialPort(pty.A, 9600, Parity.None, 8, StopBits.One);
        port.Open();
        using var stop = new CancellationTokenSource();
        var serving = server.ServeAsync(port.BaseStream, stop.Token);

        await using var mbpoll = ChildProcess.Start("mbpoll", ["-m", "rtu", "-b", "9600", "-P", "none", "-a", "3", "-t", "4:float", "-r", "343", "-c", "1", "-1", pty.B]);

        Assert.Equal(0, await mbpoll.WaitForExitAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.Equal(["1234.25"], Values(mbpoll.Output));
        await stop.CancelAsync();
        port.Close();
        await serving;
    }
}
