using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Ports;

/// <summary>A change the alert lifecycle decided in one pass, applied with its notifications in one transaction.</summary>
public abstract record AlertChange
{
    /// <summary>A new alert; notify the routed channels.</summary>
    public sealed record Raise(Finding Finding, DateTimeOffset At, IReadOnlyList<string> Channels) : AlertChange;

    /// <summary>The condition still holds: keep the newest evidence, notify nobody.</summary>
    public sealed record Refresh(long Id, Finding Finding, DateTimeOffset At) : AlertChange;

    /// <summary>A resolved alert's condition came back within its cooldown: reopen it without notifying again.</summary>
    public sealed record Reopen(long Id, Finding Finding, DateTimeOffset At) : AlertChange;

    /// <summary>The condition cleared: resolve and send the recovery notice to the routed channels.</summary>
    public sealed record Resolve(long Id, DateTimeOffset At, IReadOnlyList<string> Channels) : AlertChange;
}

/// <summary>Which alerts to list.</summary>
public sealed record AlertQuery(bool ActiveOnly = false, string? Building = null, AlertSeverity? MinimumSeverity = null, DateTimeOffset? Since = null, int Limit = 500);

/// <summary>Alerts and the notifications owed for them, in the embedded store.</summary>
public interface IAlertStore
{
    /// <summary>Every active alert, and those resolved since <paramref name="resolvedSince"/> (for the cooldown).</summary>
    Task<IReadOnlyList<Alert>> CurrentAsync(DateTimeOffset resolvedSince, CancellationToken cancellationToken);

    /// <summary>Applies one pass's changes and queues their notifications, all or nothing.</summary>
    Task ApplyAsync(IReadOnlyList<AlertChange> changes, CancellationToken cancellationToken);

    Task<IReadOnlyList<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken);

    Task<Alert?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Marks an active alert acknowledged by <paramref name="by"/>; false when it is not active.</summary>
    Task<bool> AcknowledgeAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The channel's notifications due by <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<Notification>> DueAsync(string channel, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    Task MarkDeliveredAsync(IReadOnlyCollection<long> notifications, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt; the notifications are tried again from <paramref name="retryAt"/>.</summary>
    Task MarkFailedAsync(IReadOnlyCollection<long> notifications, string error, DateTimeOffset retryAt, CancellationToken cancellationToken);

    /// <summary>Notifications not yet delivered, per channel, with the oldest one's age (for health and metrics).</summary>
    Task<IReadOnlyDictionary<string, (int Pending, DateTimeOffset? Oldest)>> BacklogAsync(CancellationToken cancellationToken);
}
