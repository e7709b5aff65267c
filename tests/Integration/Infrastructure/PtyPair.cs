namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>Two connected pseudo-terminals from socat: a serial line without hardware.</summary>
public sealed class PtyPair : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-pty-").FullName;
    private ChildProcess? _socat;

    public string A => Path.Combine(_dir, "a");

    public string B => Path.Combine(_dir, "b");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _socat = ChildProcess.Start("socat", [$"pty,raw,echo=0,link={A}", $"pty,raw,echo=0,link={B}"]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists(A) && File.Exists(B)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("socat did not create the pty pair:\n" + _socat.Output);
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socat is not null)
        {
            await _socat.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
