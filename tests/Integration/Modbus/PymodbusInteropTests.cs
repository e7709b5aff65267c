using System.IO.Ports;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Integration.Tests.Modbus;

/// <summary>Our client against pymodbus 3.0, an independent implementation, over TCP, RTU over TCP, and a serial line.</summary>
public sealed class PymodbusInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Type, double Value)[] Samples =
    [
        ("int16", -12345), ("uint16", 54321), ("int32", -123456789), ("uint32", 3123456789),
        ("int64", -1234567890123), ("uint64", 1234567890123456), ("float32", -1234.5), ("float64", 123456.789),
    ];

    private static readonly bool[] Coils = [true, false, true, true, false, false, true, false, true, true, true];

    private static object Spec() => new
    {
        values = Samples.SelectMany(s => Enum.GetNames<WordOrder>().Select(o => new { type = s.Type, order = o, value = s.Value })).ToArray(),
        coils = Coils,
    };

    private static ModbusClient Client(int port, ModbusFraming framing) =>
        new(ModbusTransport.Tcp("127.0.0.1", port, framing, new ModbusTransportOptions { ResponseTimeout = TimeSpan.FromSeconds(3) }));

    [Theory]
    [InlineData(ModbusFraming.Tcp, "socket")]
    [InlineData(ModbusFraming.Rtu, "rtu")]
    public async Task Every_type_in_every_word_order_decodes_as_pymodbus_encoded_it_through_03_and_04(ModbusFraming framing, string framer)
    {
        await using var peer = await PymodbusPeer.StartAsync(Spec(), framer, null, Ct);
        await using var client = Client(peer.Port, framing);

        Assert.Equal(32, peer.Layout.Count);
        foreach (var value in peer.Layout)
        {
            var type = Enum.Parse<RegisterType>(value.Type, ignoreCase: true);
            var order = Enum.Parse<WordOrder>(value.Order);
            var holding = new ushort[value.Count];
            var input = new ushort[value.Count];
            await client.ReadHoldingRegistersAsync(1, (ushort)value.Address, holding, Ct);
            await client.ReadInputRegistersAsync(1, (ushort)value.Address, input, Ct);

            var expected = type == RegisterType.Float32 ? (float)value.Value : value.Value;
            Assert.True(expected == RegisterDecoder.Decode(holding, type, order), $"{value.Type} {value.Order} via 03: {RegisterDecoder.Decode(holding, type, order)}");
            Assert.True(expected == RegisterDecoder.Decode(input, type, order), $"{value.Type} {value.Order} via 04");
        }
    }

    [Fact]
    public async Task Coils_and_discrete_inputs_read_through_01_and_02()
    {
        await using var peer = await PymodbusPeer.StartAsync(Spec(), "socket", null, Ct);
        await using var client = Client(peer.Port, ModbusFraming.Tcp);
        var coils = new bool[Coils.Length];
        var discrete = new bool[Coils.Length];

        await client.ReadCoilsAsync(1, 0, coils, Ct);
        await client.ReadDiscreteInputsAsync(1, 0, discrete, Ct);

        Assert.Equal(Coils, coils);
        Assert.Equal(Coils, discrete);
    }

    [Fact]
    public async Task Writes_through_05_06_15_and_16_are_read_back_from_pymodbus()
    {
        await using var peer = await PymodbusPeer.StartAsync(Spec(), "socket", null, Ct);
        await using var client = Client(peer.Port, ModbusFraming.Tcp);

        await client.WriteSingleRegisterAsync(1, 150, 0xBEEF, Ct);
        await client.WriteMultipleRegistersAsync(1, 151, new ushort[] { 1, 2, 3 }, Ct);
        await client.WriteSingleCoilAsync(1, 150, true, Ct);
        await client.WriteMultipleCoilsAsync(1, 151, new[] { true, false, true }, Ct);
        var registers = new ushort[4];
        var coils = new bool[4];
        await client.ReadHoldingRegistersAsync(1, 150, registers, Ct);
        await client.ReadCoilsAsync(1, 150, coils, Ct);

        Assert.Equal(new ushort[] { 0xBEEF, 1, 2, 3 }, registers);
        Assert.Equal(new[] { true, true, false, true }, coils);
    }

    [Theory]
    [InlineData(ModbusFraming.Tcp, "socket")]
    [InlineData(ModbusFraming.Rtu, "rtu")]
    public async Task Reading_past_the_end_of_the_map_is_an_illegal_data_address_and_the_connection_survives(ModbusFraming framing, string framer)
    {
        await using var peer = await PymodbusPeer.StartAsync(Spec(), framer, null, Ct);
        await using var client = Client(peer.Port, framing);

        var error = await Assert.ThrowsAsync<ModbusDeviceException>(() =>
            client.ReadHoldingRegistersAsync(1, PymodbusPeer.BlockSize - 2, new ushort[5], Ct).AsTask());
        var registers = new ushort[2];
        await client.ReadHoldingRegistersAsync(1, 0, registers, Ct);

        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, error.Code);
        Assert.Contains($"illegal data address 0x{PymodbusPeer.BlockSize - 2:X4} on unit 1 at 127.0.0.1:{peer.Port}", error.Message);
        Assert.Equal(1, client.Transport.ConnectCount);
    }

    [Fact]
    public async Task A_block_refused_for_one_bad_register_is_split_the_bad_point_named_and_the_rest_read()
    {
        await using var peer = await PymodbusPeer.StartAsync(Spec(), "socket", null, Ct);
        await using var client = Client(peer.Port, ModbusFraming.Tcp);
        TemplatePoint Point(string name, ushort address, bool primary = false) =>
            new(name, "", ModbusFunction.ReadHoldingRegisters, [new RegisterField(address, RegisterType.UInt16, WordOrder.ABCD, 1)], 0, "kWh", primary, false, TransformerScaling.None, null, null);
        // pymodbus serves registers 0–199: "beyond" at 200 is not there, and the planner merges all three into 100+101.
        var template = new MeterTemplate("test", "M", "X", "test", 125, 125, UnitCatalog.Kwh, [Point("a", 100, primary: true), Point("b", 110), Point("beyond", 200)]);
        var meter = new Meter(new MeterId("m"), "m", EnergyKind.Electricity, null, UnitCatalog.Kwh, Multiplier.One, ReadingMode.Cumulative,
            TimeSpan.FromMinutes(15), null, null, null, [], new ModbusSource("g", 1, "test"));
        var polled = new PolledMeter(meter, (ModbusSource)meter.Source, template, 125);
        var logger = new ListLogger();
        Assert.Single(polled.SlowBlocks);

        var samples = await new MeterReader(logger).ReadAsync(client, polled, polled.SlowBlocks, DateTimeOffset.UtcNow, Ct);

        Assert.Equal(ReadingQuality.Good, samples.Single(s => s.IsReading).Quality);
        Assert.Equal(ReadingQuality.Good, samples.Single(s => s.Point == "b").Quality);
        Assert.Equal(ReadingQuality.Missing, samples.Single(s => s.Point == "beyond").Quality);
        Assert.Equal(["beyond"], polled.UnreadablePoints);
        Assert.Contains(logger.Messages, m => m.Contains("0x00C8 (beyond", StringComparison.Ordinal) && m.Contains("illegal data address", StringComparison.Ordinal));
        // The next poll plans around the bad register: one request, no exception response.
        Assert.DoesNotContain(polled.SlowBlocks.SelectMany(b => b.Points), p => p.Name == "beyond");
    }

    [Fact]
    public async Task Our_client_reads_a_pymodbus_serial_server_over_a_socat_pty_pair()
    {
        await using var pty = new PtyPair();
        await pty.StartAsync(Ct);
        await using var peer = await PymodbusPeer.StartAsync(Spec(), "rtu", pty.B, Ct);
        await using var client = new ModbusClient(ModbusTransport.Serial(pty.A, 9600, Parity.None, StopBits.One,
            new ModbusTransportOptions { ResponseTimeout = TimeSpan.FromSeconds(3) }));

        var float32 = peer.Layout.First(v => v is { Type: "float32", Order: "CDAB" });
        var registers = new ushort[float32.Count];
        await client.ReadHoldingRegistersAsync(1, (ushort)float32.Address, registers, Ct);
        var coils = new bool[Coils.Length];
        await client.ReadCoilsAsync(1, 0, coils, Ct);

        Assert.Equal((float)float32.Value, RegisterDecoder.Decode(registers, RegisterType.Float32, WordOrder.CDAB));
        Assert.Equal(Coils, coils);
    }
}
