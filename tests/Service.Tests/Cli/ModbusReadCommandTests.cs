using System.Globalization;
using System.Net;
using EnergyMonitor.Modbus;

namespace EnergyMonitor.Service.Tests.Cli;

public sealed class ModbusReadCommandTests
{
    private static async Task<ModbusServer> ServerWithEnergyAsync(ModbusFraming framing)
    {
        var bank = new ModbusDataBank();
        var registers = new ushort[2];
        RegisterDecoder.Encode(16601.9, RegisterType.Float32, WordOrder.CDAB, registers);
        bank.WriteRegisters(ModbusFunction.ReadInputRegisters, 0x0156, registers);
        var server = new ModbusServer(new Dictionary<byte, ModbusDataBank> { [3] = bank }, framing);
        server.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await Task.CompletedTask;
        return server;
    }

    [Fact]
    public async Task Read_prints_each_register_and_the_decoded_value_on_its_own_line()
    {
        await using var server = await ServerWithEnergyAsync(ModbusFraming.Tcp);

        var (exit, output, error) = CliRunner.Run("modbus", "read", "--host", "127.0.0.1", "--port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--unit", "3", "--function", "4", "--address", "0x0156", "--type", "float32", "--order", "CDAB");

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("342 (0x0156): ", lines[0]);
        Assert.StartsWith("343 (0x0157): ", lines[1]);
        Assert.StartsWith("float32 CDAB = 16601.9", lines[2]);
    }

    [Fact]
    public async Task Auto_order_over_rtu_framing_marks_the_word_swapped_reading_as_plausible()
    {
        await using var server = await ServerWithEnergyAsync(ModbusFraming.Rtu);

        var (exit, output, _) = CliRunner.Run("modbus", "read", "--host", "127.0.0.1", "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--rtu-over-tcp",
            "--unit", "3", "--function", "4", "--address", "342", "--type", "float32", "--order", "auto");

        Assert.Equal(0, exit);
        var plausible = output.Split('\n').Where(l => l.Contains("plausible", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("float32 CDAB: 16601.9", Assert.Single(plausible));
    }

    [Fact]
    public async Task A_refused_address_prints_the_device_error_and_exits_1()
    {
        var mapped = new ModbusDataBank([(ModbusFunction.ReadInputRegisters, (ushort)0)]);
        await using var strict = new ModbusServer(new Dictionary<byte, ModbusDataBank> { [3] = mapped }, ModbusFraming.Tcp);
        strict.Start(new IPEndPoint(IPAddress.Loopback, 0));

        var (exit, _, error) = CliRunner.Run("modbus", "read", "--host", "127.0.0.1", "--port", strict.Port.ToString(CultureInfo.InvariantCulture),
            "--unit", "3", "--function", "4", "--address", "0x0156", "--count", "2");

        Assert.Equal(1, exit);
        Assert.Contains($"illegal data address 0x0156 on unit 3 at 127.0.0.1:{strict.Port}", error);
    }

    [Fact]
    public void A_bad_order_is_a_usage_error()
    {
        var (exit, _, error) = CliRunner.Run("modbus", "read", "--host", "127.0.0.1", "--address", "0", "--order", "ABDC");

        Assert.Equal(2, exit);
        Assert.Contains("--order", error);
    }
}
