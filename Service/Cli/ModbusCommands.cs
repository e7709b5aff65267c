using System.CommandLine;
using System.Globalization;
using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Modbus;
using EnergyMonitor.Simulation;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Cli;

/// <summary>`energymonitor modbus …`: commissioning tools for technicians, and the simulator.</summary>
internal static class ModbusCommands
{
    public static Command Create(TimeProvider time)
    {
        var command = new Command("modbus", "Modbus tools: read registers by hand, scan every Modbus meter of a site, or simulate a site's meters (every line).");
        command.Add(Read(time));
        command.Add(Scan(time));
        command.Add(Simulate(time));
        return command;
    }

    private static Command Read(TimeProvider time)
    {
        var host = new Option<string>("--host") { Description = "The device or gateway address.", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port.", DefaultValueFactory = _ => 502 };
        var unit = new Option<byte>("--unit") { Description = "Unit (slave) id, 1–247.", DefaultValueFactory = _ => 1 };
        var function = new Option<int>("--function") { Description = "3 (holding registers) or 4 (input registers); 1 and 2 read coils and discrete inputs.", DefaultValueFactory = _ => 3 };
        var address = new Option<string>("--address") { Description = "First register, 0-based as on the wire; decimal or 0x-hex.", Required = true };
        var count = new Option<int>("--count") { Description = "How many registers (default: as many as --type needs, else 1)." };
        var type = new Option<RegisterType?>("--type") { Description = "Decode as int16, uint16, int32, uint32, int64, uint64, float32 or float64." };
        var order = new Option<string>("--order") { Description = "ABCD, CDAB, BADC, DCBA, or auto to show all four and mark the plausible ones.", DefaultValueFactory = _ => "ABCD" };
        var rtu = new Option<bool>("--rtu-over-tcp") { Description = "RTU framing (with CRC) through a serial-to-Ethernet gateway instead of Modbus TCP." };
        var timeout = new Option<int>("--timeout") { Description = "Response timeout in milliseconds.", DefaultValueFactory = _ => 1000 };
        var command = new Command("read", "Read registers from one device and print each register's address and value, and the decoded value with --type.")
        {
            host, port, unit, function, address, count, type, order, rtu, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var addressText = parse.GetRequiredValue(address);
            if (!TryParseAddress(addressText, out var start))
            {
                await error.WriteLineAsync($"--address: found \"{addressText}\"; expected 0 to 65535, decimal or 0x-hex").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var orderText = parse.GetRequiredValue(order);
            var auto = string.Equals(orderText, "auto", StringComparison.OrdinalIgnoreCase);
            if (!auto && !Enum.TryParse<WordOrder>(orderText, ignoreCase: true, out _))
            {
                await error.WriteLineAsync($"--order: found \"{orderText}\"; expected ABCD, CDAB, BADC, DCBA or auto").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var fc = (ModbusFunction)parse.GetValue(function);
            if (!ModbusPdu.IsRead(fc))
            {
                await error.WriteLineAsync("--function: expected 1, 2, 3 or 4").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var decodeAs = parse.GetValue(type);
            var n = parse.GetValue(count) is > 0 and var c ? c : decodeAs is { } t ? RegisterDecoder.RegisterCount(t) : 1;
            var framing = parse.GetValue(rtu) ? ModbusFraming.Rtu : ModbusFraming.Tcp;
            await using var client = new ModbusClient(ModbusTransport.Tcp(parse.GetRequiredValue(host), parse.GetValue(port), framing,
                new ModbusTransportOptions { ResponseTimeout = TimeSpan.FromMilliseconds(parse.GetValue(timeout)) }));
            try
            {
                if (ModbusPdu.IsBitRead(fc))
                {
                    var bits = new bool[n];
                    await client.ReadBitsAsync(fc, parse.GetValue(unit), start, bits, ct).ConfigureAwait(false);
                    for (var i = 0; i < n; i++)
                    {
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{start + i} (0x{start + i:X4}): {(bits[i] ? 1 : 0)}")).ConfigureAwait(false);
                    }

                    return ExitCodes.Ok;
                }

                var registers = new ushort[n];
                await client.ReadRegistersAsync(fc, parse.GetValue(unit), start, registers, ct).ConfigureAwait(false);
                for (var i = 0; i < n; i++)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{start + i} (0x{start + i:X4}): {registers[i]} (0x{registers[i]:X4})")).ConfigureAwait(false);
                }

                if (decodeAs is { } asType)
                {
                    if (registers.Length < RegisterDecoder.RegisterCount(asType))
                    {
                        await error.WriteLineAsync($"--type {asType} needs {RegisterDecoder.RegisterCount(asType)} registers; --count is {n}").ConfigureAwait(false);
                        return ExitCodes.ConfigInvalid;
                    }

                    foreach (var line in DecodeLines(registers, asType, auto ? Enum.GetValues<WordOrder>() : [Enum.Parse<WordOrder>(orderText, ignoreCase: true)], auto))
                    {
                        await output.WriteLineAsync(line).ConfigureAwait(false);
                    }
                }

                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ModbusDeviceException or ModbusTimeoutException or ModbusProtocolException or ModbusCommunicationException)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>The decoded value on a line of its own per order; with auto, plausible values are marked.</summary>
    public static IEnumerable<string> DecodeLines(ReadOnlySpan<ushort> registers, RegisterType type, IReadOnlyList<WordOrder> orders, bool markPlausible)
    {
        var lines = new List<string>();
        foreach (var order in orders)
        {
            var value = RegisterDecoder.Decode(registers, type, order);
            var mark = markPlausible && IsPlausible(value, type) ? "  <- plausible" : "";
            var prefix = orders.Count > 1 ? $"{type.ToString().ToLowerInvariant()} {order}: " : $"{type.ToString().ToLowerInvariant()} {order} = ";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{value:G9}{mark}"));
        }

        return lines;
    }

    /// <summary>
    /// Building-meter quantities are finite and of moderate size: a float read in the wrong order typically
    /// shows as 1e-38, 1e+28 or hundreds of millions, an integer as billions.
    /// </summary>
    public static bool IsPlausible(double value, RegisterType type) =>
        type is RegisterType.Float32 or RegisterType.Float64
            ? double.IsFinite(value) && (value == 0 || (Math.Abs(value) > 1e-6 && Math.Abs(value) < 1e8))
            : Math.Abs(value) < 1e9;

    private static Command Scan(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var command = new Command("scan", "Read every Modbus meter of a site once and print a table with each point's value or error.") { settings, site };
        command.SetSiteAction(settings, site, time, (parse, loaded, ct) =>
            LineScan.RunAsync(loaded with { Dlt645Templates = TemplateSet.Empty.Dlt645, Cjt188Templates = TemplateSet.Empty.Cjt188 }, time, ct));
        return command;
    }

    private static Command Simulate(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var seed = new Option<int>("--seed") { Description = "Seed of the initial counters.", DefaultValueFactory = _ => 2025 };
        var command = new Command("simulate",
            "Serve every Modbus meter of a site from its template on the gateways' own addresses, with counters advancing by " +
            "realistic load profiles, until stopped (Ctrl+C).")
        {
            settings, site, seed,
        };
        command.SetSiteAction(settings, site, time, async (parse, loaded, ct) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
            await using var simulator = new ModbusSimulator(loaded, parse.GetValue(seed), time, loggers);
            await using var meterBus = new Simulation.MeterBus.MeterBusSimulator(loaded, parse.GetValue(seed), time, loggers);
            simulator.Start();
            meterBus.Start();
            foreach (var gateway in loaded.Model.Gateways.Where(g => g.Transport != Core.Site.GatewayTransport.Serial))
            {
                var units = loaded.Model.Meters.Count(m => m.Source is Core.Site.IPolledSource s && s.Gateway == gateway.Id);
                await parse.InvocationConfiguration.Output.WriteLineAsync(
                    $"simulating gateway {gateway.Id} ({gateway.Transport}) on {gateway.Host}:{gateway.Port} with {units} meters").ConfigureAwait(false);
            }

            await Task.WhenAll(simulator.RunAsync(ct), meterBus.RunAsync(ct)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool TryParseAddress(string text, out ushort address) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ushort.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out address)
            : ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);
}
