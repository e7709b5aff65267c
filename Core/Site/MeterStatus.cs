using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Site;

/// <summary>Whether a meter is reporting, as building managers see it in the console and the API.</summary>
public enum MeterStatus
{
    /// <summary>A reading within three of its intervals.</summary>
    Ok,

    /// <summary>The newest reading is older than three intervals but within a day.</summary>
    Late,

    /// <summary>No reading for a day, or never one.</summary>
    Offline,
}

/// <summary>The status rule, and its one spelling on the wire (<c>ok</c>, <c>late</c>, <c>offline</c>).</summary>
public static class MeterStatuses
{
    /// <summary>
    /// Three intervals allow for a poll or two lost to a busy RS-485 line without calling a meter late; a day
    /// without a reading is what a manager acts on (docs/ALERTS.md: the silent-meter rule uses the same day).
    /// </summary>
    public static MeterStatus Of(Meter meter, Reading? latestUsable, DateTimeOffset now) => latestUsable switch
    {
        null => MeterStatus.Offline,
        { } r when now - r.Timestamp <= meter.Interval * 3 => MeterStatus.Ok,
        { } r when now - r.Timestamp <= TimeSpan.FromDays(1) => MeterStatus.Late,
        _ => MeterStatus.Offline,
    };

    public static string Name(MeterStatus status) => status switch
    {
        MeterStatus.Ok => "ok",
        MeterStatus.Late => "late",
        _ => "offline",
    };

    public static bool TryParse(string? text, out MeterStatus status)
    {
        foreach (var candidate in Enum.GetValues<MeterStatus>())
        {
            if (Name(candidate) == text)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
