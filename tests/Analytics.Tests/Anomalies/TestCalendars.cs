using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Site;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Analytics.Tests.Anomalies;

/// <summary>The shipped calendar file, loaded the way the service loads it.</summary>
public static class TestCalendars
{
    public static HolidayCalendar China2025And2026 { get; } = HolidayCalendarFile.Load(Path.Combine(Repository.Root(), "config", "holidays-cn.csv"));
}
