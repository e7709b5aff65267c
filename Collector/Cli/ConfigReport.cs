using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Collector.Polling;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Collector.Cli;

/// <summary>A site with the register templates its Modbus meters use.</summary>
public sealed record LoadedSite(SiteModel Model, IReadOnlyDictionary<string, MeterTemplate> Templates);

/// <summary>Loads settings, templates and site together, writing every error to stderr.</summary>
internal static class ConfigReport
{
    public static (ServiceSettings? Settings, LoadedSite? Site) Load(FileInfo settingsFile, FileInfo? siteFile, TextWriter stderr, TimeProvider time)
    {
        var (settings, loadErrors) = ServiceSettingsLoader.Load(settingsFile.FullName);
        var settingsErrors = loadErrors.ToList();
        if (settings is { Storage.Kind: StoreKind.Influx })
        {
            try
            {
                // Resolving now reports a missing secret before anything starts, not at the first write.
                _ = settings.Storage.Influx.Resolve(settingsFile.FullName);
            }
            catch (ConfigException e)
            {
                settingsErrors.AddRange(e.Errors);
            }
        }

        var brokers = settings?.Mqtt.Brokers ?? [];
        for (var i = 0; i < brokers.Count; i++)
        {
            try
            {
                _ = Mqtt.MqttService.Resolve(brokers[i], i, settingsFile.FullName);
            }
            catch (ConfigException e)
            {
                settingsErrors.AddRange(e.Errors);
            }
        }

        Write(settingsErrors, stderr);
        var sitePath = siteFile?.FullName ?? settings?.SiteFile;
        if (sitePath is null)
        {
            return (settings, null);
        }

        var (site, siteErrors) = LoadSite(sitePath, time);
        Write(siteErrors, stderr);
        return settingsErrors.Count == 0 ? (settings, site) : (null, site);
    }

    /// <summary>The site and the templates in the <c>templates/</c> folder beside it, checked together.</summary>
    public static (LoadedSite? Site, IReadOnlyList<ConfigError> Errors) LoadSite(string sitePath, TimeProvider time)
    {
        var (templates, templateErrors) = TemplateLoader.LoadDirectory(TemplatesDirectory(sitePath));
        var site = SiteConfigLoader.Load(RelativeToCwd(sitePath), time.GetUtcNow(), templates.ToDictionary(t => t.Key, t => t.Value.CountingUnit));
        var loaded = templateErrors.Count == 0 && site.Site is { } model ? new LoadedSite(model, templates) : null;
        return (loaded, [.. templateErrors, .. site.Errors]);
    }

    public static string TemplatesDirectory(string sitePath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sitePath))!, "templates");

    public static void Write(IReadOnlyList<ConfigError> errors, TextWriter stderr)
    {
        foreach (var error in errors)
        {
            stderr.WriteLine(error);
        }
    }

    // Operators compare paths in error messages with what they typed; a relative path reads better.
    private static string RelativeToCwd(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
