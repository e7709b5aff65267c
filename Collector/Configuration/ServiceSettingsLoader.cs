using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace EnergyMonitor.Collector.Configuration;

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
        try
        {
            configuration.GetSection(ServiceSettings.Section).Bind(settings, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            errors.Add(new ConfigError(path, 0, 0, ServiceSettings.Section, e.Message, "only the fields documented in docs/CONFIG.md"));
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

    private static string Resolve(string settingsFile, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(settingsFile)!, path));

    /// <summary>DataAnnotations, recursively into nested settings objects, with ':'-separated key paths.</summary>
    private static void Validate(object instance, string prefix, string file, string text, List<ConfigError> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var value = instance.GetType().GetProperty(member)?.GetValue(instance);
                errors.Add(new ConfigError(file, LineOf(text, member), 0, $"{prefix}:{member}", value is null ? "nothing" : $"\"{value}\"", result.ErrorMessage ?? "a valid value"));
            }
        }

        foreach (var property in instance.GetType().GetProperties())
        {
            if (property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("EnergyMonitor", StringComparison.Ordinal) == true
                && property.GetValue(instance) is { } child)
            {
                Validate(child, $"{prefix}:{property.Name}", file, text, errors);
            }
        }
    }

    // JSON configuration keeps no positions; the first line naming the key is right for every file we ship.
    private static int LineOf(string text, string key)
    {
        var index = text.IndexOf($"\"{key}\"", StringComparison.OrdinalIgnoreCase);
        return index < 0 ? 0 : text.AsSpan(0, index).Count('\n') + 1;
    }
}
