namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>A real Mosquitto broker (Debian's) on a free loopback port, without persistence, stopped on dispose.</summary>
public sealed class MosquittoBroker(string extraConfig = "") : IAsyncLifetime
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("em-mqtt-").FullName;
    private ChildProcess? _process;

    /// <summary>A folder for files the extra configuration names (certificates, password file); CERTS in that configuration stands for it.</summary>
    public string Directory => _dir;

    public int Port { get; } = FreePort.Next();

    public async ValueTask InitializeAsync()
    {
        var config = Path.Combine(_dir, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            {(extraConfig.Length == 0 ? "allow_anonymous true" : extraConfig.Replace("CERTS", _dir, StringComparison.Ordinal))}
            persistence false
            log_dest stdout
            # Started as root by the test, Mosquitto would switch to its own user, which cannot read the
            # test's private temporary folder (certificates, password file).
            user root
            # Mosquitto queues only 1,000 messages for an offline persistent session by default and drops the
            # rest; a collector restarting under load needs more (docs/OPERATIONS.md says so for production).
            max_queued_messages 100000
            """);
        _process = ChildProcess.Start("mosquitto", ["-c", config]);
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(15), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        System.IO.Directory.Delete(_dir, recursive: true);
    }
}
