using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;
using MiniExcelLibs;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>
/// Readings from a CSV or Excel file with the columns <c>meter</c>, <c>timestamp</c>, <c>value</c> and optionally
/// <c>quality</c>: paper readings after an outage, or a history exported from another system. Values are in the
/// meter kind's stored unit (kWh, m³, GJ …). Every bad row is reported; a file with any is not imported. Rows become
/// samples, which the pipeline normalises and flags as it does every other source's.
/// </summary>
public static class ReadingFile
{
    public static (IReadOnlyList<Sample> Samples, IReadOnlyList<ConfigError> Errors) Read(string path, SiteModel site)
    {
        var meters = site.Meters.ToDictionary(m => m.Id.Value, StringComparer.Ordinal);
        var samples = new List<Sample>();
        var errors = new List<ConfigError>();
        var row = 1;
        foreach (IDictionary<string, object?> record in MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>())
        {
            row++;
            if (!record.TryGetValue("meter", out var meterCell) || !record.TryGetValue("timestamp", out var timeCell) || !record.TryGetValue("value", out var valueCell))
            {
                errors.Add(new ConfigError(path, 1, 0, "(header)", string.Join(",", record.Keys), "columns meter, timestamp, value and optionally quality"));
                break;
            }

            var meterId = Convert.ToString(meterCell, CultureInfo.InvariantCulture)?.Trim() ?? "";
            if (!meters.ContainsKey(meterId))
            {
                errors.Add(new ConfigError(path, row, 1, "meter", $"\"{meterId}\"", "the id of a meter in the site file"));
                continue;
            }

            DateTimeOffset? timestamp = timeCell switch
            {
                DateTime local => new DateTimeOffset(local, site.TimeZone.GetUtcOffset(local)),
                _ => ParseTime(Convert.ToString(timeCell, CultureInfo.InvariantCulture) ?? "", site.TimeZone),
            };
            if (timestamp is null)
            {
                errors.Add(new ConfigError(path, row, 2, "timestamp", $"\"{timeCell}\"", "ISO 8601 with an offset (2025-06-01T08:00:00+08:00) or local time (2025-06-01 08:00)"));
                continue;
            }

            double? value = valueCell switch
            {
                double d => d,
                _ => double.TryParse(Convert.ToString(valueCell, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
            };
            if (value is not { } finite || !double.IsFinite(finite))
            {
                errors.Add(new ConfigError(path, row, 3, "value", $"\"{valueCell}\"", "a finite number"));
                continue;
            }

            var quality = ReadingQuality.Manual;
            if (record.TryGetValue("quality", out var qualityCell) && Convert.ToString(qualityCell, CultureInfo.InvariantCulture) is { Length: > 0 } q)
            {
                if (!int.TryParse(q, NumberStyles.Integer, CultureInfo.InvariantCulture, out var flags) || flags < 0)
                {
                    errors.Add(new ConfigError(path, row, 4, "quality", $"\"{q}\"", "quality flags as a whole number (0 good, 1 missing, 2 out of range, 4 arrival time, 8 manual)"));
                    continue;
                }

                quality = (ReadingQuality)flags | ReadingQuality.Manual;
            }

            samples.Add(new Sample(new MeterId(meterId), null, timestamp.Value, finite, meters[meterId].CanonicalUnit, quality));
        }

        return (samples, errors);
    }

    /// <summary>ISO 8601 with an offset, or local time in the site's zone.</summary>
    public static DateTimeOffset? ParseTime(string text, TimeZoneInfo zone)
    {
        text = text.Trim();
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.fffzzz", "yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.fffZ"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            return withOffset;
        }

        return DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, zone.GetUtcOffset(local))
            : null;
    }
}
