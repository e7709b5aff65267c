using System.Collections.Concurrent;
using System.Diagnostics;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>
/// A process started by a test, with its output captured, killed with its children on dispose. A test that fails
/// before it disposes one must not leave it running: every child still alive when the test host exits is killed
/// then (a failed soak test once left its `energymonitor run` orphaned to PID 1 for an hour).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    // The children not yet disposed, for the host's exit. Test infrastructure only: the one place the process's
    // lifetime, not a test's, is the owner.
    private static readonly ConcurrentDictionary<ChildProcess, bool> Live = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var child in Live.Keys)
        {
            child.Kill();
        }
    };

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _lines);

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { child._lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { child._lines.Enqueue(e.Data); } };
        process.Start();
        Live[child] = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs an `energymonitor` command from the build output with `dotnet`.</summary>
    public static ChildProcess EnergyMonitor(IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null) =>
        Start("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "energymonitor.dll") }.Concat(arguments), workingDirectory, environment);

    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Writes one line to the process's standard input and closes it, as a pipe from a script would.</summary>
    public async Task InputAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        _process.StandardInput.Close();
    }

    /// <summary>Sends a POSIX signal (SIGTERM is how systemd stops a service).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Live.TryRemove(this, out _))
        {
            return;
        }

        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited meanwhile.
        }
    }
}
