using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using EnergyMonitor.Site;
using Microsoft.Extensions.Configuration;

namespace EnergyMonitor.Service.Settings;

/// <summary>
/// The binder's two refusals said the way docs/CONFIG.md promises: an unknown key names its full path and the
/// nearest known name ("Storge": did you mean Storage?), and a value that does not convert names its field and the
/// type it should be. The binder itself only says "properties were not found" on a second line.
/// </summary>
public static partial class SettingsKeys
{
    /// <summary>Every key under <paramref name="section"/> that <paramref name="type"/> has no property for.</summary>
    public static IEnumerable<ConfigError> Unknown(IConfigurationSection section, Type type, string file)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                var names = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || IsCollection(p.PropertyType)).Select(p => p.Name).ToList();
                var nearest = names.OrderBy(n => Distance(n, child.Key)).FirstOrDefault();
                var hint = nearest is not null && Distance(nearest, child.Key) <= Math.Max(2, child.Key.Length / 3) ? $"{nearest} (the nearest known name)" : $"one of {string.Join(", ", names)}";
                yield return new ConfigError(file, 0, 0, child.Path, $"an unknown key \"{child.Key}\"", hint);
                continue;
            }

            foreach (var error in Inside(child, property.PropertyType, file))
            {
                yield return error;
            }
        }
    }

    /// <summary>The binder's conversion failure as an error naming the field, or null when the message is not one.</summary>
    public static ConfigError? Conversion(InvalidOperationException e, string file)
    {
        if (ConversionMessage().Match(e.Message) is not { Success: true } m)
        {
            return null;
        }

        var type = m.Groups["type"].Value;
        var expected = Type.GetType(type) is { IsEnum: true } named ? $"one of {string.Join(", ", Enum.GetNames(named))}"
            : type switch
            {
                "System.Int32" => "a whole number from −2,147,483,648 to 2,147,483,647",
                "System.Int64" => "a whole number",
                "System.Double" => "a number",
                "System.Boolean" => "true or false",
                "System.TimeSpan" => "a duration such as 00:05:00",
                _ => $"a value of type {type}",
            };
        return new ConfigError(file, 0, 0, m.Groups["path"].Value, $"\"{m.Groups["value"].Value}\"", expected);
    }

    private static IEnumerable<ConfigError> Inside(IConfigurationSection section, Type type, string file)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset))
        {
            return [];
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            // Keys are data (energy kinds, meter ids): only the values have a shape.
            return section.GetChildren().SelectMany(c => Inside(c, type.GetGenericArguments()[1], file));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return section.GetChildren().SelectMany(c => Inside(c, type.GetGenericArguments()[0], file));
        }

        return type.IsClass && !typeof(IEnumerable).IsAssignableFrom(type) ? Unknown(section, type, file) : [];
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>Levenshtein distance, case-insensitive: how many letters to change to turn one name into the other.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionMessage();
}
