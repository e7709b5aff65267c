using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Web;

/// <summary>
/// Refused requests in the log, once per cause per minute with how many more there were: a client hammering one bad
/// request must not fill the disk (a fuzz run wrote a 4 KB stack trace per request). A cause is the status and the
/// problem's title, which are fixed strings; the detail, which echoes the request, is left out of the key.
/// </summary>
public sealed partial class RefusalLog(ILogger<RefusalLog> logger, TimeProvider time)
{
    /// <summary>Causes remembered at once; beyond, the rest share one entry. Titles are a few dozen fixed strings.</summary>
    private const int MaxCauses = 256;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(int Status, string Title), Cause> _causes = new();

    public void Note(int status, string? title, string path)
    {
        var key = (status, title ?? "");
        if (!_causes.ContainsKey(key) && _causes.Count >= MaxCauses)
        {
            key = (status, "(other)");
        }

        var cause = _causes.GetOrAdd(key, _ => new Cause());
        var now = time.GetUtcNow();
        long suppressed;
        lock (cause)
        {
            if (cause.LoggedAt is { } last && now - last < Window)
            {
                cause.Suppressed++;
                return;
            }

            suppressed = cause.Suppressed;
            cause.Suppressed = 0;
            cause.LoggedAt = now;
        }

        Refused(status, key.Item2, path.Length <= 200 ? path : path[..200], suppressed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Status} {Title}: {Path} ({Suppressed} more with this cause since its last line; logged at most once a minute)")]
    private partial void Refused(int status, string title, string path, long suppressed);

    private sealed class Cause
    {
        public DateTimeOffset? LoggedAt { get; set; }

        public long Suppressed { get; set; }
    }
}
