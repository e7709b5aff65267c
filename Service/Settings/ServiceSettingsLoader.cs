using System.Collections;
using System.ComponentModel.DataAnnotations;
using EnergyMonitor.Site;
using Microsoft.Extensions.Configuration;

namespace EnergyMonitor.Service.Settings;

/// <summary>Loads and validates appsettings.json, reporting errors with the file and the configuration key path.</summary>
public static class ServiceSettingsLoader
{
    public static (ServiceSettings? Settings, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            return (null, [new ConfigError(path, 0, 0, "(file)", "no such file", "an appsettings.json file")]);
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = Build(fullPath);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            return (null, [new ConfigError(path, 0, 0, "(syntax)", e.InnerException?.Message ?? e.Message, "well-formed JSON")]);
        }

        var text = File.ReadAllText(fullPath);
        var errors = new List<ConfigError>();
        var settings = new ServiceSettings();
        errors.AddRange(SettingsKeys.Unknown(configuration.GetSection(ServiceSettings.Section), typeof(ServiceSettings), path));
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        try
        {
            configuration.GetSection(ServiceSettings.Section).Bind(settings, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            errors.Add(SettingsKeys.Conversion(e, path) ?? new ConfigError(path, 0, 0, ServiceSettings.Section, e.Message, "only the fields documented in docs/CONFIG.md"));
            return (null, errors);
        }

        Validate(settings, ServiceSettings.Section, path, text, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        settings.SiteFile = Resolve(fullPath, settings.SiteFile);
        settings.Storage.Sqlite.Path = Resolve(fullPath, settings.Storage.Sqlite.Path);
        return (settings, errors);
    }

    /// <summary>The settings file, then environment variables such as <c>EnergyMonitor__Storage__Sqlite__Path</c>.</summary>
    public static IConfigurationRoot Build(string fullPath) =>
        new ConfigurationBuilder()
            .AddJsonFile(fullPath, optional: false, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();

    internal static string Resolve(string settingsFile, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(settingsFile)!, path));

    /// <summary>
    /// DataAnnotations on every settings object reachable from the root: nested objects, every item of every list
    /// (<c>Brokers[0]</c>) and every value of every dictionary (<c>Kgce:heat</c>). One walk over the object graph, so
    /// that a list added later is validated without anyone remembering to.
    /// </summary>
    internal static void Validate(object instance, string path, string file, string text, List<ConfigError> errors)
    {
        switch (instance)
        {
            case string:
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Value is { } value)
                    {
                        Validate(value, $"{path}:{entry.Key}", file, text, errors);
                    }
                }

                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        Validate(item, $"{path}[{index}]", file, text, errors);
                    }

                    index++;
                }

                return;
        }

        if (!IsSettings(instance.GetType()))
        {
            return;
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var value = instance.GetType().GetProperty(member)?.GetValue(instance);
                errors.Add(new ConfigError(file, LineOf(text, member), 0, $"{path}:{member}", Found(value), Expected(result.ErrorMessage)));
            }
        }

        foreach (var property in instance.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length == 0 && property.GetValue(instance) is { } child && (child is IEnumerable and not string || IsSettings(child.GetType())))
            {
                Validate(child, $"{path}:{property.Name}", file, text, errors);
            }
        }
    }

    /// <summary>The runtime's messages read "The field Port must be between 1 and 65535."; an error line says what was expected.</summary>
    private static string Expected(string? message)
    {
        if (message is null)
        {
            return "a valid value";
        }

        var range = System.Text.RegularExpressions.Regex.Match(message, "^The field \\w+ must be (between .+)\\.$");
        if (range.Success)
        {
            return $"a value {range.Groups[1].Value}";
        }

        return System.Text.RegularExpressions.Regex.IsMatch(message, "^The \\w+ field is required\\.$") ? "a value (required)" : message;
    }

    private static bool IsSettings(Type type) => type.IsClass && type.Namespace?.StartsWith("EnergyMonitor", StringComparison.Ordinal) == true;

    private static string Found(object? value) => value switch
    {
        null => "nothing",
        ICollection items => $"{items.Count} items",
        IFormattable f => $"\"{f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}\"",
        _ => $"\"{value}\"",
    };

    // JSON configuration keeps no positions; the first line naming the key is right for every file we ship.
    private static int LineOf(string text, string key)
    {
        var index = text.IndexOf($"\"{key}\"", StringComparison.OrdinalIgnoreCase);
        return index < 0 ? 0 : text.AsSpan(0, index).Count('\n') + 1;
    }
}
