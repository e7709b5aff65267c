using System.Collections.Concurrent;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>A gateway's latest poll outcome: when a meter last answered and last failed, and failures in a row.</summary>
public sealed record GatewayStatus(string Gateway, DateTimeOffset? LastAnswered, DateTimeOffset? LastFailed, int ConsecutiveFailures, long Reads, long Failures);

/// <summary>Each gateway's status, written by the pollers' observer and read by the health check and the console.</summary>
public sealed class GatewayStatuses(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, GatewayStatus> _statuses = new(StringComparer.Ordinal);

    public IReadOnlyCollection<GatewayStatus> All => [.. _statuses.Values.OrderBy(s => s.Gateway, StringComparer.Ordinal)];

    public void Record(string gateway, bool answered)
    {
        var now = time.GetUtcNow();
        _statuses.AddOrUpdate(gateway,
            _ => answered ? new GatewayStatus(gateway, now, null, 0, 1, 0) : new GatewayStatus(gateway, null, now, 1, 1, 1),
            (_, s) => answered
                ? s with { LastAnswered = now, ConsecutiveFailures = 0, Reads = s.Reads + 1 }
                : s with { LastFailed = now, ConsecutiveFailures = s.ConsecutiveFailures + 1, Reads = s.Reads + 1, Failures = s.Failures + 1 });
    }
}
