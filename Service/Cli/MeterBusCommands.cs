using System.CommandLine;
using System.Globalization;
using System.IO.Ports;
using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.Service.Cli;

/// <summary>
/// `energymonitor dlt645 …` and `cjt188 …`: a technician's tools for an RS-485 line of Chinese meters, reached through
/// a transparent gateway (--host, --port) or a local port (--serial): find the one meter's address, read an
/// identifier or a whole template with the frames shown, and scan a site's configured meters.
/// </summary>
internal static class MeterBusCommands
{
    public static Command Dlt645(TimeProvider time)
    {
        var command = new Command("dlt645", "DL/T 645 tools: find a meter's address, read identifiers, scan the site's DL/T 645 and CJ/T 188 lines.");
        command.Add(FindDlt645Address());
        command.Add(ReadDlt645(time));
        command.Add(Scan(time));
        return command;
    }

    public static Command Cjt188()
    {
        var command = new Command("cjt188", "CJ/T 188 tools: find a water, heat or gas meter's address, read its metering data.");
        command.Add(FindCjt188Address());
        command.Add(ReadCjt188());
        return command;
    }

    private static Command FindDlt645Address()
    {
        var line = new LineOptions();
        var command = new Command("find-address", "Ask the one meter on a line for its address (broadcast read address, 13H). Disconnect the others first: two answers garble each other.");
        line.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var meterLine = line.Open(parse);
            using var client = new Dlt645Client(meterLine) { FrameObserver = line.Frames(parse) };
            return await LineOptions.RunAsync(parse, async () =>
            {
                var address = await client.ReadAddressAsync(ct).ConfigureAwait(false);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"address {address}").ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ReadDlt645(TimeProvider time)
    {
        var line = new LineOptions();
        var address = new Option<string>("--address") { Description = "The meter's 12-digit address as on its nameplate, or AAAAAAAAAAAA for whoever is alone on the line.", Required = true };
        var di = new Option<string?>("--di") { Description = "A data identifier as the standard prints it: 8 hex digits (-2007, e.g. 00010000) or 4 (-1997, e.g. 9010)." };
        var format = new Option<string?>("--format") { Description = "The value's BCD picture for an identifier the driver does not know, e.g. XXXXXX.XX or ±XX.XXXX." };
        var template = new Option<string?>("--template") { Description = "Read every identifier of this template (a file under config/templates/, or a path)." };
        var command = new Command("read", "Read one identifier, or every identifier of a template, from one meter, decoded; --frames shows the bytes.") { address, di, format, template };
        line.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!Dlt645Address.TryParse(parse.GetRequiredValue(address), out var meter))
            {
                await error.WriteLineAsync($"--address: found \"{parse.GetValue(address)}\"; expected 12 digits as on the nameplate, or AA pairs first as a wildcard").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var items = new List<(string Name, DataIdentifier Di, BcdFormat Format, string Unit)>();
            if (parse.GetValue(template) is { } name)
            {
                var path = File.Exists(name) ? name : Path.Combine("config", "templates", name + ".yaml");
                var (loaded, errors) = Acquisition.Polling.TemplateLoader.LoadAny(Path.GetFileNameWithoutExtension(path), File.Exists(path) ? await File.ReadAllTextAsync(path, ct).ConfigureAwait(false) : "", path);
                if (loaded is not Dlt645Template t)
                {
                    await error.WriteLineAsync(errors.Count > 0 ? string.Join(Environment.NewLine, errors) : $"--template: {path} is not a DL/T 645 template").ConfigureAwait(false);
                    return ExitCodes.ConfigInvalid;
                }

                items.AddRange(t.Points.Select(p => (p.Name, p.Identifier, p.Format, p.Unit)));
            }
            else if (DataIdentifier.TryParse(parse.GetValue(di), out var identifier))
            {
                var known = Dlt645Catalogue.Find(identifier);
                var picture = parse.GetValue(format) is { } text ? BcdFormat.Parse(text) : known?.Format;
                if (picture is null)
                {
                    await error.WriteLineAsync($"--format: {identifier} is not in the driver's table; give its picture, e.g. --format XXXXXX.XX").ConfigureAwait(false);
                    return ExitCodes.ConfigInvalid;
                }

                items.Add((known?.Meaning ?? "", identifier, picture.Value, known?.Unit ?? ""));
            }
            else
            {
                await error.WriteLineAsync("--di or --template: expected an identifier of 8 hex digits (-2007) or 4 (-1997), or a template name").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await using var meterLine = line.Open(parse);
            using var client = new Dlt645Client(meterLine) { FrameObserver = line.Frames(parse) };
            var failed = 0;
            foreach (var item in items)
            {
                var code = await LineOptions.RunAsync(parse, async () =>
                {
                    var value = await client.ReadValueAsync(meter, item.Di, item.Format, ct).ConfigureAwait(false);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{item.Di} {item.Name}: {value} {item.Unit}").TrimEnd()).ConfigureAwait(false);
                }, prefix: $"{item.Di} {item.Name}: ").ConfigureAwait(false);
                failed += code == ExitCodes.Ok ? 0 : 1;
            }

            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static Command Scan(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var command = new Command("scan", "Read every DL/T 645 and CJ/T 188 meter of a site once and print a table with each point's value or error.") { settings, site };
        command.SetSiteAction(settings, site, time, (parse, loaded, ct) =>
            LineScan.RunAsync(loaded with { Templates = TemplateSet.Empty.Modbus }, time, ct));
        return command;
    }

    private static Command FindCjt188Address()
    {
        var line = new LineOptions();
        var type = MeterType();
        var command = new Command("find-address", "Ask the one CJ/T 188 meter on a line for its address (03H to AA…AA).") { type };
        line.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var meterLine = line.Open(parse);
            using var client = new Cjt188Client(meterLine) { FrameObserver = line.Frames(parse) };
            return await LineOptions.RunAsync(parse, async () =>
            {
                var (answeredType, address) = await client.ReadAddressAsync(ParseType(parse.GetRequiredValue(type)), ct).ConfigureAwait(false);
                await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"address {address} (type {(byte)answeredType:X2}H)")).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ReadCjt188()
    {
        var line = new LineOptions();
        var type = MeterType();
        var address = new Option<string>("--address") { Description = "The meter's 14-digit address as on its nameplate.", Required = true };
        var command = new Command("read", "Read a CJ/T 188 meter's metering data (901FH) and print every field in its unit and the canonical one.") { type, address };
        line.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (!Cjt188Address.TryParse(parse.GetRequiredValue(address), out var meter))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--address: found \"{parse.GetValue(address)}\"; expected 14 digits as on the nameplate").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var meterType = ParseType(parse.GetRequiredValue(type));
            await using var meterLine = line.Open(parse);
            using var client = new Cjt188Client(meterLine) { FrameObserver = line.Frames(parse) };
            return await LineOptions.RunAsync(parse, async () =>
            {
                var data = await client.ReadMeteringDataAsync(meterType, meter, Cjt188Layout.For(meterType), ct).ConfigureAwait(false);
                var output = parse.InvocationConfiguration.Output;
                foreach (var q in data.Quantities)
                {
                    var canonical = q.Unit == q.CanonicalUnit ? "" : string.Create(CultureInfo.InvariantCulture, $" = {q.Canonical} {q.CanonicalUnit}");
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{q.Field}: {q.Value} {q.Unit}{canonical}")).ConfigureAwait(false);
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"clock: {data.MeterClock?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "not set"}, status: {data.Status:X4}")).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<string> MeterType() => new("--type")
    {
        Description = "The meter type: cold-water, hot-water, heat, cooling or gas.",
        DefaultValueFactory = _ => "heat",
    };

    private static Cjt188MeterType ParseType(string text) => text switch
    {
        "cold-water" => Cjt188MeterType.ColdWater,
        "hot-water" => Cjt188MeterType.HotWater,
        "cooling" => Cjt188MeterType.Cooling,
        "gas" => Cjt188MeterType.Gas,
        _ => Cjt188MeterType.Heat,
    };

    /// <summary>Where the line is and how the frames are shown: the options every command here shares.</summary>
    private sealed class LineOptions
    {
        private readonly Option<string?> _host = new("--host") { Description = "The transparent gateway's address." };
        private readonly Option<int> _port = new("--port") { Description = "The gateway's TCP port for the line.", DefaultValueFactory = _ => 8899 };
        private readonly Option<string?> _serial = new("--serial") { Description = "A local serial port instead of a gateway, e.g. /dev/ttyUSB0." };
        private readonly Option<int> _baud = new("--baud") { Description = "Serial baud rate (DL/T 645 meters default to 2400).", DefaultValueFactory = _ => 2400 };
        private readonly Option<string> _parity = new("--parity") { Description = "Serial parity: even (the DL/T 645 default), none or odd.", DefaultValueFactory = _ => "even" };
        private readonly Option<int> _timeout = new("--timeout") { Description = "Response timeout in milliseconds.", DefaultValueFactory = _ => 1500 };
        private readonly Option<bool> _frames = new("--frames") { Description = "Print every frame sent (→) and received (←) in hex." };

        public void AddTo(Command command)
        {
            command.Add(_host);
            command.Add(_port);
            command.Add(_serial);
            command.Add(_baud);
            command.Add(_parity);
            command.Add(_timeout);
            command.Add(_frames);
        }

        public MeterLine Open(ParseResult parse)
        {
            var options = new MeterLineOptions { ResponseTimeout = TimeSpan.FromMilliseconds(parse.GetValue(_timeout)) };
            if (parse.GetValue(_serial) is { } serial)
            {
                var parity = parse.GetValue(_parity) switch
                {
                    "none" => Parity.None,
                    "odd" => Parity.Odd,
                    _ => Parity.Even,
                };
                return MeterLine.Serial(serial, parse.GetValue(_baud), parity, StopBits.One, options);
            }

            return MeterLine.Tcp(parse.GetValue(_host) ?? "127.0.0.1", parse.GetValue(_port), options);
        }

        public Action<string, ReadOnlyMemory<byte>>? Frames(ParseResult parse)
        {
            if (!parse.GetValue(_frames))
            {
                return null;
            }

            var output = parse.InvocationConfiguration.Output;
            return (direction, bytes) => output.WriteLine($"{direction} {Convert.ToHexString(bytes.Span).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + " " + b)}");
        }

        /// <summary>Runs one exchange; a timeout, a refusal or a bad frame is printed and is exit code 1.</summary>
        public static async Task<int> RunAsync(ParseResult parse, Func<Task> exchange, string prefix = "")
        {
            try
            {
                await exchange().ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is MeterTimeoutException or MeterFrameException or MeterLineException or Dlt645DeviceException or Cjt188DeviceException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(prefix + e.Message).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }
    }
}
