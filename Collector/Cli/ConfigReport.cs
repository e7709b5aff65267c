using EnergyMonitor.Collector.Configuration;

namespace EnergyMonitor.Collector.Cli;

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

        var (site, siteErrors) = SiteFiles.Load(sitePath, time);
        Write(siteErrors, stderr);
        return settingsErrors.Count == 0 ? (settings, site) : (null, site);
    }

    public static void Write(IReadOnlyList<ConfigError> errors, TextWriter stderr)
    {
        foreach (var error in errors)
        {
            stderr.WriteLine(error);
        }
    }
}
