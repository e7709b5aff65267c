using System.Globalization;
using System.Text;
using System.Text.Json;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>
/// Where the values are in a payload. No <see cref="ValuePath"/>: the payload is a plain number. With
/// <see cref="ItemsPath"/>: the path leads to an array (or object of objects) carrying several meters' readings,
/// each item holding its meter at <see cref="MeterPath"/>. Paths are dotted, optionally starting with <c>$.</c>,
/// with <c>[n]</c> for array elements: <c>$.data.readings[0].total</c>.
/// </summary>
public sealed record PayloadSpec(string? ValuePath = null, string? TimestampPath = null, string? ItemsPath = null, string? MeterPath = null);

/// <summary>Bounds on what a payload may be.</summary>
public sealed record PayloadLimits(int MaxBytes, TimeSpan FutureSkew, TimeSpan LateWindow)
{
    public static PayloadLimits Default { get; } = new(64 * 1024, TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
}

/// <summary>One value found in a payload. <see cref="Meter"/> is set for multi-meter payloads.</summary>
public readonly record struct ParsedValue(string? Meter, double Value, DateTimeOffset Timestamp, bool UsedArrivalTime);

public sealed record ParseResult(IReadOnlyList<ParsedValue> Values, QuarantineReason? Reason, string Detail)
{
    public static ParseResult Fail(QuarantineReason reason, string detail) => new([], reason, detail);
}

/// <summary>Turns payload bytes into values, or into the reason they cannot be stored. Pure: no I/O, no state.</summary>
public static class PayloadParser
{
    private static readonly double MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static ParseResult Parse(ReadOnlySpan<byte> payload, PayloadSpec spec, DateTimeOffset arrival, PayloadLimits limits)
    {
        if (payload.Length > limits.MaxBytes)
        {
            return ParseResult.Fail(QuarantineReason.TooLarge, $"{payload.Length} bytes, limit {limits.MaxBytes}");
        }

        if (spec.ValuePath is null && spec.ItemsPath is null)
        {
            var text = Encoding.UTF8.GetString(payload).Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
            {
                return ParseResult.Fail(QuarantineReason.NotANumber, $"\"{Excerpt(text)}\" is not a number");
            }

            return double.IsFinite(plain)
                ? new ParseResult([new ParsedValue(null, plain, arrival, true)], null, "")
                : ParseResult.Fail(QuarantineReason.NonFinite, text);
        }

        // System.Text.Json checks the encoding of values it decodes, not of every byte it skips over.
        if (!System.Text.Unicode.Utf8.IsValid(payload))
        {
            return ParseResult.Fail(QuarantineReason.MalformedJson, "the payload is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException e)
        {
            return ParseResult.Fail(QuarantineReason.MalformedJson, e.Message);
        }

        using (document)
        {
            if (spec.ItemsPath is null)
            {
                return One(document.RootElement, spec, null, arrival, limits) is var (value, failure) && failure is null
                    ? new ParseResult([value], null, "")
                    : failure!;
            }

            if (Walk(document.RootElement, spec.ItemsPath) is not { } items || items.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                return ParseResult.Fail(QuarantineReason.MissingField, $"no array or object at {spec.ItemsPath}");
            }

            var values = new List<ParsedValue>();
            var elements = items.ValueKind == JsonValueKind.Array
                ? items.EnumerateArray().Select(e => (Key: (string?)null, Element: e))
                : items.EnumerateObject().Select(p => (Key: (string?)p.Name, Element: p.Value));
            foreach (var (key, element) in elements)
            {
                var meter = spec.MeterPath is null ? key : Walk(element, spec.MeterPath) is { ValueKind: JsonValueKind.String } m ? m.GetString() : null;
                if (meter is null)
                {
                    return ParseResult.Fail(QuarantineReason.MissingField, $"an item without a meter at {spec.MeterPath ?? "(key)"}");
                }

                var (value, failure) = One(element, spec, meter, arrival, limits);
                if (failure is not null)
                {
                    return failure;
                }

                values.Add(value);
            }

            return new ParseResult(values, null, "");
        }
    }

    private static (ParsedValue Value, ParseResult? Failure) One(JsonElement root, PayloadSpec spec, string? meter, DateTimeOffset arrival, PayloadLimits limits)
    {
        var path = spec.ValuePath ?? "$";
        if (Walk(root, path) is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return (default, ParseResult.Fail(QuarantineReason.MissingField, $"no value at {path}"));
        }

        double value;
        if (element.ValueKind == JsonValueKind.Number)
        {
            // System.Text.Json refuses numbers beyond double's range (1e400) rather than returning infinity.
            if (!element.TryGetDouble(out value))
            {
                return (default, ParseResult.Fail(QuarantineReason.NonFinite, $"{Excerpt(element.GetRawText())} at {path} is beyond the range of a double"));
            }
        }
        else if (element.ValueKind == JsonValueKind.String && element.GetString() is { } s)
        {
            if (s is "NaN" or "Infinity" or "-Infinity" or "inf" or "-inf")
            {
                return (default, ParseResult.Fail(QuarantineReason.NonFinite, s));
            }

            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                return (default, ParseResult.Fail(QuarantineReason.NotANumber, $"\"{Excerpt(s)}\" at {path}"));
            }
        }
        else
        {
            return (default, ParseResult.Fail(QuarantineReason.NotANumber, $"{element.ValueKind} at {path}"));
        }

        if (!double.IsFinite(value))
        {
            return (default, ParseResult.Fail(QuarantineReason.NonFinite, $"{value} at {path}"));
        }

        if (spec.TimestampPath is null || Walk(root, spec.TimestampPath) is not { } stamp || stamp.ValueKind == JsonValueKind.Null)
        {
            return (new ParsedValue(meter, value, arrival, true), null);
        }

        if (ParseTimestamp(stamp) is not { } timestamp)
        {
            return (default, ParseResult.Fail(QuarantineReason.BadTimestamp, $"{stamp.GetRawText()} at {spec.TimestampPath}: expected epoch seconds or milliseconds, or ISO 8601 with an offset"));
        }

        if (ReadingTimes.IsAhead(timestamp, arrival, limits.FutureSkew))
        {
            return (default, ParseResult.Fail(QuarantineReason.TimestampInFuture, $"{timestamp:O} is {(timestamp - arrival).TotalMinutes:F0} min ahead of arrival"));
        }

        if (arrival - timestamp > limits.LateWindow)
        {
            return (default, ParseResult.Fail(QuarantineReason.TimestampTooOld, $"{timestamp:O} is older than the {limits.LateWindow.TotalDays:F0}-day late-data window"));
        }

        return (new ParsedValue(meter, value, timestamp, false), null);
    }

    /// <summary>Epoch seconds, epoch milliseconds (any number above 10¹¹, i.e. after 1973 in ms), or ISO 8601 with an offset.</summary>
    public static DateTimeOffset? ParseTimestamp(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && number > 0)
        {
            var milliseconds = number > 1e11 ? number : Math.Round(number * 1000);

            // Beyond the year 9999 is no time at all, and DateTimeOffset would throw on it.
            return milliseconds <= MaxUnixMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds) : null;
        }

        if (element.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            && HasOffset(element.GetString()!))
        {
            return parsed;
        }

        return null;
    }

    /// <summary>Follows a dotted path with [n] indexes; null when any step is missing.</summary>
    public static JsonElement? Walk(JsonElement root, string path)
    {
        var current = root;
        var steps = path.StartsWith('$') ? path[1..].TrimStart('.') : path;
        foreach (var step in steps.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = step;
            var index = -1;
            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                if (!int.TryParse(step.AsSpan(bracket + 1, step.Length - bracket - 2), NumberStyles.None, CultureInfo.InvariantCulture, out index))
                {
                    return null;
                }

                name = step[..bracket];
            }

            if (name.Length > 0)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return null;
                }
            }

            if (index >= 0)
            {
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
            }
        }

        return current;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static string Excerpt(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
