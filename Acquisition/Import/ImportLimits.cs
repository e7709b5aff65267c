using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>What an imported file may hold. The defaults keep a file's import under about 1 GB of memory.</summary>
/// <param name="Now">The service's clock: a reading more than <paramref name="FutureSkew"/> after it is refused.</param>
/// <param name="FutureSkew">The MQTT rule (<c>Mqtt:FutureSkew</c>): a meter's clock may run this far ahead, no further.</param>
/// <param name="MaxRows">
/// Rows of one file. Two million is 14 years of one meter at 15 minutes, or a year of 57 meters; a 6.5 MB workbook
/// that expanded to 12 M rows took 1.8 GB before this bound. A larger history is imported as several files.
/// </param>
/// <param name="MaxExpandedBytes">A workbook's parts once unzipped: a 2,000,000-row sheet is about 150 MB of XML.</param>
/// <param name="MaxErrors">Errors reported before reading stops: enough to see the pattern, not a terminal of them.</param>
public sealed record ImportLimits(DateTimeOffset Now, TimeSpan FutureSkew, int MaxRows = 2_000_000, long MaxExpandedBytes = 512L * 1024 * 1024, int MaxErrors = 50)
{
    /// <summary>Whether <paramref name="time"/> lies further after <see cref="Now"/> than a meter's clock may run ahead.</summary>
    public bool IsAhead(DateTimeOffset time) => ReadingTimes.IsAhead(time, Now, FutureSkew);
}
