using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Analytics.Alerts;

/// <summary>Which channels hear about which alerts: by severity, rule, building and institution. Empty lists match all.</summary>
public sealed record AlertRoute(string Channel, AlertSeverity MinimumSeverity = AlertSeverity.Warning, IReadOnlyList<string>? Rules = null, IReadOnlyList<string>? Buildings = null, IReadOnlyList<string>? Institutions = null)
{
    public bool Matches(Finding finding) =>
        finding.Severity >= MinimumSeverity
        && (Rules is not { Count: > 0 } || Rules.Contains(finding.Rule))
        && (Buildings is not { Count: > 0 } || (finding.Building is { } b && Buildings.Contains(b)))
        && (Institutions is not { Count: > 0 } || (finding.Institution is { } i && Institutions.Contains(i)));
}

/// <summary>How alerts live: how long a cleared condition must stay cleared before its return is news again.</summary>
/// <param name="Cooldown">A condition that returns within this time of clearing reopens its alert silently (6 h): a flapping meter must not page people every pass.</param>
public sealed record AlertPolicy(TimeSpan Cooldown)
{
    public static AlertPolicy Default { get; } = new(TimeSpan.FromHours(6));
}

/// <summary>
/// The alert lifecycle as a pure decision (docs/DOMAIN.md#alerts): from the alerts kept and one pass's findings to
/// the changes to make. A condition is one key (rule and subject). New: raise and notify. Still holding: refresh the
/// evidence, notify nobody (deduplication). Cleared: resolve and send a recovery notice. Back within the cooldown:
/// reopen without notifying. Only rules that ran in the pass can clear their alerts.
/// </summary>
public static class AlertLifecycle
{
    public static IReadOnlyList<AlertChange> Decide(IReadOnlyList<Alert> kept, IReadOnlyList<Finding> findings, IReadOnlySet<string> rulesRun, DateTimeOffset now, AlertPolicy policy, IReadOnlyList<AlertRoute> routes)
    {
        var changes = new List<AlertChange>();
        var current = findings.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.MaxBy(f => f.Severity)!);
        var active = kept.Where(a => a.IsActive).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.First());
        var recentlyResolved = kept.Where(a => a.State == AlertState.Resolved && a.ResolvedAt >= now - policy.Cooldown)
            .GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.MaxBy(a => a.ResolvedAt)!);

        foreach (var (key, finding) in current.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (active.TryGetValue(key, out var alert))
            {
                changes.Add(new AlertChange.Refresh(alert.Id, finding, now));
            }
            else if (recentlyResolved.TryGetValue(key, out var resolved))
            {
                changes.Add(new AlertChange.Reopen(resolved.Id, finding, now));
            }
            else
            {
                changes.Add(new AlertChange.Raise(finding, now, Channels(finding, routes)));
            }
        }

        foreach (var (key, alert) in active.OrderBy(a => a.Value.Id))
        {
            if (!current.ContainsKey(key) && rulesRun.Contains(alert.Finding.Rule))
            {
                changes.Add(new AlertChange.Resolve(alert.Id, now, Channels(alert.Finding, routes)));
            }
        }

        return changes;
    }

    public static IReadOnlyList<string> Channels(Finding finding, IReadOnlyList<AlertRoute> routes) =>
        [.. routes.Where(r => r.Matches(finding)).Select(r => r.Channel).Distinct(StringComparer.Ordinal)];
}
