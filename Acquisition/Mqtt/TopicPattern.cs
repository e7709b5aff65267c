using System.Text.RegularExpressions;

namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>
/// A topic pattern with named captures, e.g. <c>energy/{building}/{meter}/reading</c>: subscribed as the MQTT
/// filter <c>energy/+/+/reading</c>, and matched topics yield their segments by name. A trailing <c>#</c> is allowed.
/// </summary>
public sealed partial class TopicPattern
{
    private readonly string[] _levels;

    private TopicPattern(string pattern, string[] levels, string filter)
    {
        Pattern = pattern;
        _levels = levels;
        Filter = filter;
    }

    public string Pattern { get; }

    /// <summary>The subscription filter: captures become <c>+</c>.</summary>
    public string Filter { get; }

    public IEnumerable<string> CaptureNames => _levels.Where(l => l.StartsWith('{')).Select(l => l[1..^1]);

    /// <summary>Parses a pattern, or explains why it is not one.</summary>
    public static bool TryParse(string pattern, out TopicPattern? result, out string error)
    {
        result = null;
        error = "";
        if (string.IsNullOrEmpty(pattern))
        {
            error = "an empty pattern";
            return false;
        }

        var levels = pattern.Split('/');
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level == "#" && i != levels.Length - 1)
            {
                error = "'#' anywhere but the last level";
                return false;
            }

            if (level.Contains('{', StringComparison.Ordinal) || level.Contains('}', StringComparison.Ordinal))
            {
                if (!Capture().IsMatch(level))
                {
                    error = $"level \"{level}\": a capture must be a whole level, like {{meter}}";
                    return false;
                }

                if (!names.Add(level[1..^1]))
                {
                    error = $"capture {level} twice";
                    return false;
                }
            }
            else if (level != "#" && level != "+" && (level.Contains('+', StringComparison.Ordinal) || level.Contains('#', StringComparison.Ordinal)))
            {
                error = $"level \"{level}\": wildcards must be whole levels";
                return false;
            }
        }

        var filter = string.Join('/', levels.Select(l => l.StartsWith('{') ? "+" : l));
        result = new TopicPattern(pattern, levels, filter);
        return true;
    }

    /// <summary>The captured segments when <paramref name="topic"/> matches; null otherwise.</summary>
    public IReadOnlyDictionary<string, string>? Match(string topic)
    {
        var parts = topic.Split('/');
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _levels.Length; i++)
        {
            var level = _levels[i];
            if (level == "#")
            {
                return captures;
            }

            if (i >= parts.Length)
            {
                return null;
            }

            if (level.StartsWith('{'))
            {
                if (parts[i].Length == 0)
                {
                    return null;
                }

                captures[level[1..^1]] = parts[i];
            }
            else if (level != "+" && level != parts[i])
            {
                return null;
            }
        }

        return parts.Length == _levels.Length ? captures : null;
    }

    /// <summary>Fills a template such as <c>{building}-{meter}</c> from captures; null if one is missing.</summary>
    public static string? Expand(string template, IReadOnlyDictionary<string, string> captures)
    {
        var missing = false;
        var result = Placeholder().Replace(template, m =>
        {
            if (captures.TryGetValue(m.Groups[1].Value, out var value))
            {
                return value;
            }

            missing = true;
            return "";
        });
        return missing ? null : result;
    }

    [GeneratedRegex(@"^\{[A-Za-z][A-Za-z0-9_]*\}$")]
    private static partial Regex Capture();

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
