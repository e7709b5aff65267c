using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>
/// Readings from a CSV or Excel file with the columns <c>meter</c>, <c>timestamp</c>, <c>value</c> and optionally
/// <c>quality</c>: paper readings after an outage, or a history exported from another system. Values are in the
/// meter kind's stored unit (kWh, m³, GJ …). Every bad row is reported; a file with any is not imported. Rows become
/// samples, which the pipeline normalises and flags as it does every other source's.
/// </summary>
public static class ReadingFile
{
    public static (IReadOnlyList<Sample> Samples, IReadOnlyList<ConfigError> Errors) Read(string path, SiteModel site, ImportLimits limits, CancellationToken cancellationToken)
    {
        var rows = new ReadingRows(path, site, limits);
        ImportTable.Read(path, limits, rows.Errors, rows.Add, () => rows.Samples.Count, cancellationToken);
        return (rows.Samples, rows.Errors);
    }

    /// <summary>ISO 8601 with an offset, or local time in the site's zone; null outside <see cref="MeteringEra"/>.</summary>
    public static DateTimeOffset? ParseTime(string text, TimeZoneInfo zone)
    {
        text = text.Trim();
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.fffzzz", "yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.fffZ"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return MeteringEra.Contains(withOffset) ? withOffset : null;
        }

        return DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? Local(local, zone)
            : null;
    }

    /// <summary>A wall-clock time in the site's zone. Year 1 is refused before an offset is applied to it, which underflowed.</summary>
    public static DateTimeOffset? Local(DateTime local, TimeZoneInfo zone)
    {
        if (!MeteringEra.Contains(local))
        {
            return null;
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}
