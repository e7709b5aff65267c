using System.Diagnostics;
using System.Net.Sockets;

namespace EnergyMonitor.Bench;

/// <summary>What the benchmarks that run the service as a child process share: ports, the example config, child processes.</summary>
internal static class BenchProcesses
{
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Consecutive ports below Linux's ephemeral range (32768 and up), each free when chosen: ports the kernel hands
    /// out for outgoing connections in the meantime cannot take them, as they could a port from <see cref="FreePort"/>.
    /// </summary>
    public static int[] FreePortBlock(int count)
    {
        var random = new Random();
        while (true)
        {
            var first = random.Next(20_000, 32_000 - count);
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = first; p < first + count; p++)
                {
                    var listener = new TcpListener(System.Net.IPAddress.Loopback, p);
                    listener.Start();
                    listeners.Add(listener);
                }

                return [.. Enumerable.Range(first, count)];
            }
            catch (SocketException)
            {
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }
    }

    /// <summary>The <paramref name="q"/> quantile of latencies sorted ascending: the smallest value at or above that share of them.</summary>
    public static double Quantile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    public static string FindConfig()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "config", "site.yaml")))
            {
                return Path.Combine(d.FullName, "config");
            }
        }

        throw new DirectoryNotFoundException("config/site.yaml");
    }

    /// <summary>Starts a child process whose standard output is drained and whose errors (`[ERR]` lines) are echoed.</summary>
    public static Process Start(string file, IEnumerable<string> arguments, string directory, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var echoing = false;
        var gate = new object();
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        // An error line and its exception's lines after it (which carry no timestamp).
        void Echo(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                var stamped = line.Length > 4 && char.IsAsciiDigit(line[0]) && line[4] == '-';
                echoing = stamped ? line.Contains("[ERR]", StringComparison.Ordinal) || line.Contains("[FTL]", StringComparison.Ordinal)
                    : echoing || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal) || line.StartsWith("Unhandled", StringComparison.Ordinal);
                if (echoing)
                {
                    Console.Error.WriteLine(line);
                }
            }
        }
    }

    /// <summary>Starts a child process and waits until a line of its output contains the marker; fails if it exits first.</summary>
    public static async Task<Process> StartAndWaitAsync(string file, IEnumerable<string> arguments, string directory, string marker, TimeSpan timeout)
    {
        var process = Start(file, arguments, directory);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains(marker, StringComparison.Ordinal) == true) { seen.TrySetResult(); } };
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(seen.Task, exited, Task.Delay(timeout)) != seen.Task)
        {
            throw new InvalidOperationException(process.HasExited ? $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}" : $"no \"{marker}\" from {string.Join(' ', arguments)} in {timeout}");
        }

        return process;
    }

    public static async Task RunToEndAsync(string file, IEnumerable<string> arguments, string directory)
    {
        using var process = Start(file, arguments, directory);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments)} exited {process.ExitCode}");
        }
    }
}
