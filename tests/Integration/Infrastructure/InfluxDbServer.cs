using System.Net;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>
/// A real InfluxDB 1.x (Debian's influxd) on free loopback ports with a temporary data directory and reporting
/// disabled, stopped and deleted on dispose.
/// </summary>
public sealed class InfluxDbServer : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-influx-").FullName;
    private ChildProcess? _process;

    public int HttpPort { get; } = FreePort.Next();

    public Uri Url => new($"http://127.0.0.1:{HttpPort}");

    private readonly int _rpcPort = FreePort.Next();

    public async ValueTask InitializeAsync()
    {
        var rpcPort = _rpcPort;
        var config = Path.Combine(_dir, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpcPort}"
            [meta]
              dir = "{_dir}/meta"
            [data]
              dir = "{_dir}/data"
              wal-dir = "{_dir}/wal"
              query-log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{HttpPort}"
              log-enabled = false
            [monitor]
              store-enabled = false
            """);
        _process = ChildProcess.Start("influxd", ["-config", config]);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var ping = await http.GetAsync(new Uri(Url, "/ping"));
                if (ping.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"influxd did not start on port {HttpPort}:\n{_process.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops the server as a crash or an operator would (the data directory stays).</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts it again on the same ports and data.</summary>
    public Task StartAsync() => InitializeAsync().AsTask();

    /// <summary>Freezes the process (SIGSTOP): connections stay open and nothing answers.</summary>
    public void Pause() => _process!.Signal("STOP");

    public void Resume() => _process!.Signal("CONT");

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
