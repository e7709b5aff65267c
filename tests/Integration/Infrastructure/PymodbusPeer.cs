using System.Globalization;
using System.Text.Json;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>One value the pymodbus peer encoded with its own payload builder, and where it put it.</summary>
public sealed record PeerValue(string Type, string Order, double Value, int Address, int Count);

/// <summary>
/// Debian's pymodbus 3.0 serving unit 1 (tests/Integration/Peers/pymodbus_server.py): an independent Modbus
/// implementation to test our client against.
/// </summary>
public sealed class PymodbusPeer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _spec;

    private PymodbusPeer(ChildProcess process, string spec, IReadOnlyList<PeerValue> layout, int port)
    {
        _process = process;
        _spec = spec;
        Layout = layout;
        Port = port;
    }

    public IReadOnlyList<PeerValue> Layout { get; }

    public int Port { get; }

    public const int BlockSize = 200;

    public static async Task<PymodbusPeer> StartAsync(object spec, string framer, string? serialDevice, CancellationToken cancellationToken)
    {
        var specFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(specFile, JsonSerializer.Serialize(spec), cancellationToken);
        var port = serialDevice is null ? FreePort.Next() : 0;
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_server.py");
        string[] where = serialDevice is null ? ["--tcp", port.ToString(CultureInfo.InvariantCulture)] : ["--serial", serialDevice];
        // DESIGN §8: Debian's module is installed for /usr/bin/python3, which may not be the python3 on PATH.
        var process = ChildProcess.Start("/usr/bin/python3", [script, specFile, .. where, "--framer", framer]);
        if (!await process.WaitForOutputAsync("\"layout\"", TimeSpan.FromSeconds(30), cancellationToken))
        {
            var output = process.Output;
            await process.DisposeAsync();
            throw new InvalidOperationException("pymodbus peer did not start:\n" + output);
        }

        var line = process.Output.Split('\n').First(l => l.Contains("\"layout\"", StringComparison.Ordinal));
        var layout = JsonDocument.Parse(line).RootElement.GetProperty("layout").EnumerateArray()
            .Select(e => new PeerValue(e.GetProperty("type").GetString()!, e.GetProperty("order").GetString()!,
                e.GetProperty("value").GetDouble(), e.GetProperty("address").GetInt32(), e.GetProperty("count").GetInt32()))
            .ToList();
        if (serialDevice is null)
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(15), cancellationToken);
        }
        else
        {
            // The serial server opens its device after printing the layout.
            await Task.Delay(1500, cancellationToken);
        }

        return new PymodbusPeer(process, specFile, layout, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        File.Delete(_spec);
    }
}
