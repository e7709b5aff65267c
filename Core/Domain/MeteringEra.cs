namespace EnergyMonitor.Core.Domain;

/// <summary>
/// The years a reading, a request or a file may name: metering of public institutions began after 2000 and no plan
/// runs past 2100. Times outside are mistakes (1899 and 1900 are spreadsheet epochs, 9999 a placeholder), and the
/// calendar arithmetic behind them (a zone's offset, the year before) underflows or overflows at years 1 and 9999.
/// Every stage that takes a time from outside checks it here, once.
/// </summary>
public static class MeteringEra
{
    public const int FirstYear = 2000, LastYear = 2100;

    public static bool Contains(int year) => year is >= FirstYear and <= LastYear;

    public static bool Contains(DateOnly day) => Contains(day.Year);

    /// <summary>A wall-clock time, before any offset is applied to it (which is where year 1 underflows).</summary>
    public static bool Contains(DateTime local) => Contains(local.Year);

    public static bool Contains(DateTimeOffset time) => Contains(time.UtcDateTime.Year) && Contains(time.Year);

    /// <summary>How the range reads in a message: "the years 2000–2100".</summary>
    public static string Description => $"the years {FirstYear}–{LastYear}";
}
