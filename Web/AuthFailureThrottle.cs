using System.Collections.Concurrent;
using System.Net;

namespace EnergyMonitor.Web;

/// <summary>
/// Counts failed authentications in one-minute windows, per client address and the first characters of the key it
/// presented, and refuses unverified keys from a pair that reached the limit until its window ends. An address that
/// sprays many prefixes is refused at ten times the limit. A key the service already knows is never refused
/// (<see cref="KeyRing.Known"/>), and requests that present no key are never counted: behind a proxy every client
/// may share one address, and one guesser must not lock the others out.
/// </summary>
public sealed class AuthFailureThrottle(int perMinute, TimeProvider time)
{
    /// <summary>How many characters of a presented key name its bucket: "em_" and five of the key.</summary>
    public const int PrefixLength = 8;

    /// <summary>The Retry-After header for a refusal lasting until <paramref name="until"/>: whole seconds, at least one.</summary>
    public static string RetryAfter(DateTimeOffset until, DateTimeOffset now) =>
        Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private const int MaxWindows = 10_000;

    private readonly ConcurrentDictionary<(IPAddress Address, string Prefix), Window> _pairs = new();
    private readonly ConcurrentDictionary<IPAddress, Window> _addresses = new();

    private sealed record Window(DateTimeOffset Start, int Failures);

    public static string PrefixOf(string key) => key.Length <= PrefixLength ? key : key[..PrefixLength];

    /// <summary>When the client may try this key again, or null when it may now.</summary>
    public DateTimeOffset? BlockedUntil(IPAddress client, string key)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? Until(Window? w, int limit) => w is not null && w.Start.AddMinutes(1) > now && w.Failures >= limit ? w.Start.AddMinutes(1) : null;
        return Until(_pairs.GetValueOrDefault((client, PrefixOf(key))), perMinute) ?? Until(_addresses.GetValueOrDefault(client), perMinute * 10);
    }

    public void RecordFailure(IPAddress client, string key)
    {
        var now = time.GetUtcNow();
        Window Next(Window w) => w.Start.AddMinutes(1) <= now ? new Window(now, 1) : w with { Failures = w.Failures + 1 };
        _pairs.AddOrUpdate((client, PrefixOf(key)), _ => new Window(now, 1), (_, w) => Next(w));
        _addresses.AddOrUpdate(client, _ => new Window(now, 1), (_, w) => Next(w));
        if (_pairs.Count > MaxWindows)
        {
            // Many clients failing at once: forget the windows that have ended.
            Forget(_pairs, now);
            Forget(_addresses, now);
        }
    }

    private static void Forget<TKey>(ConcurrentDictionary<TKey, Window> windows, DateTimeOffset now)
        where TKey : notnull
    {
        foreach (var (key, window) in windows)
        {
            if (window.Start.AddMinutes(1) <= now)
            {
                windows.TryRemove(key, out _);
            }
        }
    }
}
