using EnergyMonitor.Acquisition;
using EnergyMonitor.Service.Hosting;
using EnergyMonitor.Service.Settings;
using EnergyMonitor.Site;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

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
                _ = MqttBrokers.Resolve(brokers[i], i, settingsFile.FullName, settings!.Cluster.ResolvedInstanceId);
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

    /// <summary>
    /// Every other file the service reads when it starts: the holiday calendar, tariffs, quotas, the scorecard and
    /// its entries, the report font and the alert channels' secrets. Loaded by the very registrations the service
    /// runs, so that check-config cannot pass what <c>run</c> then refuses. Every error of every file, none hidden
    /// behind the first.
    /// </summary>
    public static IReadOnlyList<ConfigError> LoadServiceFiles(ServiceSettings settings, LoadedSite site, string settingsFile, TimeProvider time)
    {
        var errors = new List<ConfigError>();
        void Load(Action load)
        {
            try
            {
                load();
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        var services = new ServiceCollection();
        Load(() => services.AddAlerting(settings, settingsFile));
        Load(() => services.AddReports(settings, settingsFile, settings.Storage.Sqlite.Path));
        Load(() =>
        {
            using var http = new HttpClient();
            _ = AlertChannels.Build(settings, site.Model, settingsFile, http, time);
        });
        return errors;
    }

    /// <summary>A file of readings or temperatures with bad rows is imported not at all: every bad row, then the verdict.</summary>
    public static async Task<int> RefuseFileAsync(IReadOnlyList<ConfigError> errors, TextWriter stderr)
    {
        Write(errors, stderr);
        await stderr.WriteLineAsync($"{errors.Count} bad rows; nothing imported").ConfigureAwait(false);
        return ExitCodes.ConfigInvalid;
    }

    public static void Write(IReadOnlyList<ConfigError> errors, TextWriter stderr)
    {
        foreach (var error in errors)
        {
            stderr.WriteLine(error);
        }
    }
}
