using System.Net;
using System.Net.Sockets;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>
/// Free loopback ports below the kernel's ephemeral range. A port the OS hands out for port 0 is an ephemeral one,
/// and between choosing it and listening on it (the web fixture writes its history first, a minute) any outgoing
/// connection of a parallel test may take it: CI saw "address already in use" on 43303. Below the range only a
/// listener can take a port, and this process hands each one out once.
/// </summary>
public static class FreePort
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        var (low, _) = EphemeralRange();
        var first = Math.Max(1024, Math.Min(20_000, low - 10_000));
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(first, low);
                if (HandedOut.Contains(port))
                {
                    continue;
                }

                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                }
                catch (SocketException)
                {
                    continue;
                }

                HandedOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port in {first}–{low}");
    }

    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return (32768, 60999); // Linux's default
        }
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
