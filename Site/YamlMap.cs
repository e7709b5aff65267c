using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>Collects errors against one file, so that a load reports all of them at once.</summary>
public sealed class ErrorSink(string file)
{
    private readonly List<ConfigError> _errors = [];

    public string File { get; } = file;

    public IReadOnlyList<ConfigError> Errors => _errors;

    public void Add(YamlNode? node, string path, string found, string expected) =>
        _errors.Add(new ConfigError(File, node is null ? 0 : (int)node.Start.Line, node is null ? 0 : (int)node.Start.Column, path, found, expected));

    public void Add(Mark mark, string path, string found, string expected) =>
        _errors.Add(new ConfigError(File, (int)mark.Line, (int)mark.Column, path, found, expected));

    /// <summary>An error found before parsing (the file's size or encoding), reported under this sink's file name.</summary>
    public void Add(ConfigError error) => _errors.Add(error with { File = File });
}

/// <summary>
/// A YAML mapping read field by field. Each accessor checks the type and records an error with the field's
/// path and line instead of throwing; <see cref="Finish"/> reports the keys nobody asked for.
/// </summary>
public sealed class YamlMap
{
    // Secrets never sit in a file that is copied, diffed and mailed around; they come from the environment or a file.
    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "token", "secret", "apiKey", "api_key", "accessKey", "privateKey",
    };

    private readonly YamlMappingNode _node;
    private readonly ErrorSink _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlMap(YamlMappingNode node, string path, ErrorSink errors)
    {
        _node = node;
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    public YamlNode Node => _node;

    public ErrorSink Errors => _errors;

    public static YamlMap? From(YamlNode node, string path, ErrorSink errors)
    {
        if (node is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, path, errors);
        }

        errors.Add(node, path, Describe(node), "a mapping of fields");
        return null;
    }

    public string Field(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key)
    {
        _known.Add(key);
        return Find(key) is not null;
    }

    public YamlNode? Raw(string key)
    {
        _known.Add(key);
        return Find(key);
    }

    public string? String(string key, bool required = true, string expected = "a text value")
    {
        var node = Raw(key);
        if (node is null)
        {
            MissingIfRequired(key, required, expected);
            return null;
        }

        if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
        {
            return value;
        }

        _errors.Add(node, Field(key), Describe(node), expected);
        return null;
    }

    public double? Number(string key, bool required, Func<double, bool> isValid, string expected)
    {
        var node = Raw(key);
        if (node is null)
        {
            MissingIfRequired(key, required, expected);
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } scalar && scalar.Style == ScalarStyle.Plain
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && isValid(value))
        {
            return value;
        }

        _errors.Add(node, Field(key), Describe(node), expected);
        return null;
    }

    public int? Integer(string key, bool required, int min, int max, string? expected = null)
    {
        expected ??= $"a whole number from {min} to {max}";
        var node = Raw(key);
        if (node is null)
        {
            MissingIfRequired(key, required, expected);
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } scalar && scalar.Style == ScalarStyle.Plain
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        _errors.Add(node, Field(key), Describe(node), expected);
        return null;
    }

    public YamlMap? Map(string key, bool required = true)
    {
        var node = Raw(key);
        if (node is null)
        {
            MissingIfRequired(key, required, "a mapping of fields");
            return null;
        }

        return From(node, Field(key), _errors);
    }

    /// <summary>The items of a sequence field, each with its indexed path, e.g. <c>meters[3]</c>.</summary>
    public IReadOnlyList<(YamlNode Node, string Path)> List(string key, bool required = true)
    {
        var node = Raw(key);
        if (node is null)
        {
            MissingIfRequired(key, required, "a list");
            return [];
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children.Select((child, i) => (child, $"{Field(key)}[{i}]")).ToList();
        }

        if (IsNull(node) && !required)
        {
            return [];
        }

        _errors.Add(node, Field(key), Describe(node), "a list");
        return [];
    }

    public IReadOnlyList<YamlMap> MapList(string key, bool required = true) =>
        List(key, required).Select(i => From(i.Node, i.Path, _errors)).OfType<YamlMap>().ToList();

    public void Error(string key, string found, string expected) =>
        _errors.Add(Find(key) ?? _node, Field(key), found, expected);

    /// <summary>Reports every key that no accessor asked for, with the nearest known key as a hint.</summary>
    public void Finish()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (_known.Contains(key))
            {
                continue;
            }

            if (SecretKeys.Contains(key))
            {
                _errors.Add(keyNode, Field(key), $"a secret written into the file (\"{key}\")",
                    $"{key}Env (the name of an environment variable) or {key}File (a file readable only by the service); see docs/CONFIG.md#secrets");
                continue;
            }

            var hint = _known.MinBy(k => Distance(k, key));
            var expected = hint is not null && Distance(hint, key) <= 3
                ? $"one of the known fields (did you mean \"{hint}\"?)"
                : $"one of the known fields: {string.Join(", ", _known.Order(StringComparer.Ordinal))}";
            _errors.Add(keyNode, Field(key), $"unknown field \"{key}\"", expected);
        }
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s when IsNull(s) => "nothing (null)",
        YamlScalarNode { Style: ScalarStyle.Plain } s => $"\"{s.Value}\"",
        YamlScalarNode s => $"the quoted text \"{s.Value}\"",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString(),
    };

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private YamlNode? Find(string key)
    {
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                return v;
            }
        }

        return null;
    }

    private void MissingIfRequired(string key, bool required, string expected)
    {
        if (required)
        {
            _errors.Add(_node, Field(key), "nothing (the field is missing)", expected);
        }
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
