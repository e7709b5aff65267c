using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>
/// The rows of one imported file judged one by one: each becomes a sample or an error naming its row and column.
/// A meter's time given twice must give the same value: the second of two conflicting rows is an error naming the
/// first (the last one used to win silently); an exact repeat is harmless and kept once.
/// </summary>
internal sealed class ReadingRows(string path, SiteModel site, ImportLimits limits)
{
    private const string TimestampExpected = "ISO 8601 with an offset (2025-06-01T08:00:00+08:00) or local time (2025-06-01 08:00)";

    private readonly Dictionary<string, Meter> _meters = site.Meters.ToDictionary(m => m.Id.Value, StringComparer.Ordinal);
    private readonly Dictionary<(string Meter, long UtcTicks), (int Row, double Value, ReadingQuality Quality)> _seen = [];

    public List<Sample> Samples { get; } = [];

    public List<ConfigError> Errors { get; } = [];

    /// <summary>Judges one row; false when the file's shape is wrong and reading should stop.</summary>
    public bool Add(int row, IDictionary<string, object?> record)
    {
        if (!record.TryGetValue("meter", out var meterCell) || !record.TryGetValue("timestamp", out var timeCell) || !record.TryGetValue("value", out var valueCell))
        {
            Errors.Add(new ConfigError(path, 1, 0, "(header)", string.Join(",", record.Keys), "columns meter, timestamp, value and optionally quality"));
            return false;
        }

        var meterId = Text(meterCell).Trim();
        if (!_meters.TryGetValue(meterId, out var meter))
        {
            Errors.Add(new ConfigError(path, row, 1, "meter", $"\"{meterId}\"", "the id of a meter in the site file"));
            return true;
        }

        if (Time(timeCell) is not { } timestamp)
        {
            Errors.Add(new ConfigError(path, row, 2, "timestamp", $"\"{Text(timeCell)}\"", $"{TimestampExpected}, within {MeteringEra.Description}"));
            return true;
        }

        if (limits.IsAhead(timestamp))
        {
            Errors.Add(new ConfigError(path, row, 2, "timestamp", $"\"{timestamp:yyyy-MM-ddTHH:mm:sszzz}\", {(timestamp - limits.Now).TotalDays:N1} days after now",
                $"a time no later than {limits.FutureSkew.TotalMinutes:N0} min after now (Mqtt:FutureSkew, the rule MQTT readings follow)"));
            return true;
        }

        if (Number(valueCell) is not { } value)
        {
            Errors.Add(new ConfigError(path, row, 3, "value", $"\"{Text(valueCell)}\"", "a finite number"));
            return true;
        }

        var quality = ReadingQuality.Manual;
        if (record.TryGetValue("quality", out var qualityCell) && Text(qualityCell) is { Length: > 0 } q)
        {
            if (!int.TryParse(q, NumberStyles.Integer, CultureInfo.InvariantCulture, out var flags) || flags < 0)
            {
                Errors.Add(new ConfigError(path, row, 4, "quality", $"\"{q}\"", "quality flags as a whole number (0 good, 1 missing, 2 out of range, 4 arrival time, 8 manual)"));
                return true;
            }

            quality = (ReadingQuality)flags | ReadingQuality.Manual;
        }

        var key = (meterId, timestamp.UtcTicks);
        if (_seen.TryGetValue(key, out var first))
        {
            if (first.Value != value || first.Quality != quality)
            {
                Errors.Add(new ConfigError(path, row, 3, "value", $"{value.ToString(CultureInfo.InvariantCulture)} for {meterId} at {timestamp:yyyy-MM-ddTHH:mm:sszzz}, but row {first.Row} gives {first.Value.ToString(CultureInfo.InvariantCulture)}",
                    "one value per meter and time; delete the wrong row"));
            }

            return true;
        }

        _seen.Add(key, (row, value, quality));
        Samples.Add(new Sample(meter.Id, null, timestamp, value, meter.CanonicalUnit, quality));
        return true;
    }

    private DateTimeOffset? Time(object? cell) => cell switch
    {
        DateTime local => ReadingFile.Local(local, site.TimeZone),
        DateTimeOffset withOffset => MeteringEra.Contains(withOffset) ? withOffset : null,
        _ => ReadingFile.ParseTime(Text(cell), site.TimeZone),
    };

    private static double? Number(object? cell)
    {
        double? value = cell switch
        {
            double d => d,
            _ => double.TryParse(Text(cell), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
        };
        return value is { } finite && double.IsFinite(finite) ? finite : null;
    }

    private static string Text(object? cell) => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "";
}
