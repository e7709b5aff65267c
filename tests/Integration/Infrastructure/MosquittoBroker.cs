namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>A real Mosquitto broker (Debian's) on a free loopback port, without persistence, stopped on dispose.</summary>
public sealed class MosquittoBroker : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-mqtt-").FullName;
    private ChildProcess? _process;

    public int Port { get; } = FreePort.Next();

    public async ValueTask InitializeAsync()
    {
        var config = Path.Combine(_dir, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stdout
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

        Directory.Delete(_dir, recursive: true);
    }
}
