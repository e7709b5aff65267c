using System.Net;

namespace EnergyMonitor.Modbus.Tests;

/// <summary>Our client against our server over real loopback sockets, in both framings. Interop with independent peers is in tests/Integration.</summary>
public sealed class LoopbackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(ModbusServer Server, ModbusClient Client)> StartAsync(ModbusFraming framing, ModbusDataBank? bank = null, TimeSpan? timeout = null)
    {
        var server = new ModbusServer(new Dictionary<byte, ModbusDataBank> { [1] = bank ?? new ModbusDataBank(), [2] = new ModbusDataBank() }, framing);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var client = new ModbusClient(ModbusTransport.Tcp("127.0.0.1", server.Port, framing,
            new ModbusTransportOptions { ResponseTimeout = timeout ?? TimeSpan.FromSeconds(2), InterFrameDelay = TimeSpan.Zero }));
        await Task.CompletedTask;
        return (server, client);
    }

    [Theory]
    [InlineData(ModbusFraming.Tcp)]
    [InlineData(ModbusFraming.Rtu)]
    public async Task Every_function_code_round_trips(ModbusFraming framing)
    {
        var (server, client) = await StartAsync(framing);
        await using var s = server;
        await using var c = client;

        await client.WriteMultipleRegistersAsync(1, 100, new ushort[] { 1, 2, 3, 65535 }, Ct);
        await client.WriteSingleRegisterAsync(1, 104, 42, Ct);
        await client.WriteMultipleCoilsAsync(1, 10, new[] { true, false, true, true, false, false, false, false, true }, Ct);
        await client.WriteSingleCoilAsync(1, 19, true, Ct);
        server.Units[1].WriteRegisters(ModbusFunction.ReadInputRegisters, 7, [9, 8]);
        server.Units[1].WriteBits(ModbusFunction.ReadDiscreteInputs, 3, [true, true]);

        var holding = new ushort[5];
        var input = new ushort[2];
        var coils = new bool[10];
        var discrete = new bool[3];
        await client.ReadHoldingRegistersAsync(1, 100, holding, Ct);
        await client.ReadInputRegistersAsync(1, 7, input, Ct);
        await client.ReadCoilsAsync(1, 10, coils, Ct);
        await client.ReadDiscreteInputsAsync(1, 2, discrete, Ct);

        Assert.Equal(new ushort[] { 1, 2, 3, 65535, 42 }, holding);
        Assert.Equal(new ushort[] { 9, 8 }, input);
        Assert.Equal(new[] { true, false, true, true, false, false, false, false, true, true }, coils);
        Assert.Equal(new[] { false, true, true }, discrete);
    }

    [Fact]
    public async Task An_unmapped_register_answers_illegal_data_address_naming_unit_and_endpoint()
    {
        var bank = new ModbusDataBank([(ModbusFunction.ReadInputRegisters, 0x0154), (ModbusFunction.ReadInputRegisters, 0x0155)]);
        var (server, client) = await StartAsync(ModbusFraming.Tcp, bank);
        await using var s = server;
        await using var c = client;

        var error = await Assert.ThrowsAsync<ModbusDeviceException>(() => client.ReadInputRegistersAsync(1, 0x0156, new ushort[2], Ct).AsTask());

        Assert.Equal($"illegal data address 0x0156 on unit 1 at 127.0.0.1:{server.Port} (function 0x04)", error.Message);
        // The connection stays usable after an exception response.
        await client.ReadInputRegistersAsync(1, 0x0154, new ushort[2], Ct);
        Assert.Equal(1, client.Transport.ConnectCount);
    }

    [Fact]
    public async Task A_tcp_gateway_answers_for_an_unknown_unit_with_target_failed_to_respond()
    {
        var (server, client) = await StartAsync(ModbusFraming.Tcp);
        await using var s = server;
        await using var c = client;

        var error = await Assert.ThrowsAsync<ModbusDeviceException>(() => client.ReadHoldingRegistersAsync(9, 0, new ushort[1], Ct).AsTask());

        Assert.Equal(ModbusExceptionCode.GatewayTargetFailedToRespond, error.Code);
    }

    [Theory]
    [InlineData(ModbusFraming.Tcp)]
    [InlineData(ModbusFraming.Rtu)]
    public async Task A_silent_unit_times_out_and_the_next_unit_on_the_same_connection_still_answers(ModbusFraming framing)
    {
        var (server, client) = await StartAsync(framing, timeout: TimeSpan.FromMilliseconds(300));
        await using var s = server;
        await using var c = client;
        server.Units[2].WriteRegisters(ModbusFunction.ReadHoldingRegisters, 0, [77]);
        server.SilentUnits.Add(1);

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => client.ReadHoldingRegistersAsync(1, 0, new ushort[1], Ct).AsTask());
        var registers = new ushort[1];
        await client.ReadHoldingRegistersAsync(2, 0, registers, Ct);

        Assert.Equal(77, registers[0]);
    }

    [Fact]
    public async Task Repeated_timeouts_presume_a_half_open_connection_and_reconnect()
    {
        var (server, client) = await StartAsync(ModbusFraming.Tcp, timeout: TimeSpan.FromMilliseconds(100));
        await using var s = server;
        await using var c = client;
        server.SilentUnits.Add(1);

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<ModbusTimeoutException>(() => client.ReadHoldingRegistersAsync(1, 0, new ushort[1], Ct).AsTask());
        }

        Assert.False(client.Transport.IsConnected);
        server.SilentUnits.Clear();
        await client.ReadHoldingRegistersAsync(1, 0, new ushort[1], Ct);
        Assert.Equal(2, client.Transport.ConnectCount);
    }
}
