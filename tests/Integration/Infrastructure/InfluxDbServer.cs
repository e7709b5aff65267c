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

    public async ValueTask InitializeAsync()
    {
        var rpcPort = FreePort.Next();
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

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
