using System.Globalization;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// The clock every command and the service read, chosen once when the process starts. It is the system clock,
/// unless <c>ENERGYMONITOR_NOW</c> names an instant: then the clock reads that instant at start and runs at real
/// speed from it. Tests and rehearsals use it to run the whole service "on" a chosen day (the 1st of a month,
/// New Year's night, a 调休 Sunday) without changing the machine's clock; faketime does the same from outside.
/// </summary>
public static class ProcessClock
{
    public const string Variable = "ENERGYMONITOR_NOW";

    /// <summary>The clock for <paramref name="value"/> (the variable's value), or the reason it is not an instant.</summary>
    public static (TimeProvider? Time, string? Error) From(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (TimeProvider.System, null);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) && value.Contains('T', StringComparison.Ordinal)
            && (value.EndsWith('Z') || value.Contains('+', StringComparison.Ordinal) || value.LastIndexOf('-') > value.IndexOf('T', StringComparison.Ordinal))
            ? (new StartedClock(start), null)
            : (null, $"{Variable}: expected an instant with its offset, such as 2027-01-01T00:30:00+08:00; found \"{Clip(value)}\"");
    }

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>A clock that read <paramref name="start"/> when it was made and advances with the system's.</summary>
    public sealed class StartedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _origin = System.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start.ToUniversalTime() + System.GetElapsedTime(_origin);
    }
}
