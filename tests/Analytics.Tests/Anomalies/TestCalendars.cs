using EnergyMonitor.Analytics.Anomalies;

namespace EnergyMonitor.Analytics.Tests.Anomalies;

/// <summary>The shipped calendar file, loaded the way the service loads it.</summary>
public static class TestCalendars
{
    public static HolidayCalendar China2025And2026 { get; } = HolidayCalendarFile.Load(Path.Combine(RepoRoot(), "config", "holidays-cn.csv"));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnergyMonitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
