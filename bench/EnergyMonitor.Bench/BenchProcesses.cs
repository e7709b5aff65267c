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
    public static Process Start(string file, IEnumerable<string> arguments, string directory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
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
                echoing = stamped ? line.Contains("[ERR]", StringComparison.Ordinal) || line.Contains("[FTL]", StringComparison.Ordinal) : echoing;
                if (echoing)
                {
                    Console.Error.WriteLine(line);
                }
            }
        }
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
