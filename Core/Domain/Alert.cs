namespace EnergyMonitor.Core.Domain;

/// <summary>How soon someone should act: a note for the report, a problem for today, or one for now.</summary>
public enum AlertSeverity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}

/// <summary>Where an alert stands: raised and unread, seen by someone who took it on, or cleared.</summary>
public enum AlertState
{
    Open = 0,
    Acknowledged = 1,
    Resolved = 2,
}

/// <summary>One number behind a finding, with its unit and the range it was expected in, so a manager can check it.</summary>
/// <param name="Expected">The range the value was expected in, as text ("≤ 0.012"), or null when the number is context.</param>
public sealed record Evidence(LocalizedText Name, double Value, string Unit, string? Expected = null);

/// <summary>
/// What an anomaly rule saw in one pass: a condition holding now on one subject (a meter, a building's electricity,
/// an institution's budget). The same <see cref="Key"/> in the next pass is the same condition still holding.
/// </summary>
/// <param name="Rule">The rule's id, e.g. <c>night-leak</c>.</param>
/// <param name="Subject">What it is about: a meter id, or a series such as <c>building/b1/electricity</c>.</param>
/// <param name="Since">When the condition began, as far as the data shows.</param>
public sealed record Finding(
    string Rule,
    string Subject,
    AlertSeverity Severity,
    string? Meter,
    string? Building,
    string? Institution,
    DateTimeOffset Since,
    IReadOnlyList<Evidence> Evidence,
    LocalizedText Summary,
    LocalizedText Action)
{
    public string Key => $"{Rule}:{Subject}";
}

/// <summary>An alert as kept in the store: the finding that raised it (updated while it holds) and its lifecycle.</summary>
public sealed record Alert(
    long Id,
    Finding Finding,
    AlertState State,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt)
{
    public string Key => Finding.Key;

    public bool IsActive => State != AlertState.Resolved;
}

/// <summary>What a channel tells people about an alert: that it was raised, or that its condition cleared.</summary>
public enum NotificationKind
{
    Raised = 0,
    Recovered = 1,
}

/// <summary>One message owed to one channel about one alert, kept until the channel accepted it.</summary>
public sealed record Notification(long Id, long AlertId, string Channel, NotificationKind Kind, DateTimeOffset CreatedAt, int Attempts, Alert Alert);
