using System.Collections.Concurrent;
using System.Net;

namespace EnergyMonitor.Web;

/// <summary>
/// Counts failed authentications per client address in one-minute windows and refuses a client that reached the
/// limit until its window ends, so keys cannot be guessed at speed and PBKDF2 cannot be used to load the CPU.
/// </summary>
public sealed class AuthFailureThrottle(int perMinute, TimeProvider time)
{
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    private sealed record Window(DateTimeOffset Start, int Failures);

    /// <summary>When the client may try again, or null when it may now.</summary>
    public DateTimeOffset? BlockedUntil(IPAddress client)
    {
        var now = time.GetUtcNow();
        return _windows.TryGetValue(client, out var w) && w.Start.AddMinutes(1) > now && w.Failures >= perMinute ? w.Start.AddMinutes(1) : null;
    }

    public void RecordFailure(IPAddress client)
    {
        var now = time.GetUtcNow();
        _windows.AddOrUpdate(client, _ => new Window(now, 1), (_, w) => w.Start.AddMinutes(1) <= now ? new Window(now, 1) : w with { Failures = w.Failures + 1 });
        if (_windows.Count > 10_000)
        {
            // Many addresses failing at once: forget the windows that have ended.
            foreach (var (address, window) in _windows)
            {
                if (window.Start.AddMinutes(1) <= now)
                {
                    _windows.TryRemove(address, out _);
                }
            }
        }
    }
}
