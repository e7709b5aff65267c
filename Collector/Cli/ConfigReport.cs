using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Collector.Cli;

/// <summary>Loads settings and site together, writing every error to stderr.</summary>
internal static class ConfigReport
{
    public static (ServiceSettings? Settings, SiteModel? Site) Load(FileInfo settingsFile, FileInfo? siteFile, TextWriter stderr, TimeProvider time)
    {
        var (settings, settingsErrors) = ServiceSettingsLoader.Load(settingsFile.FullName);
        Write(settingsErrors, stderr);
        var sitePath = siteFile?.FullName ?? settings?.SiteFile;
        if (sitePath is null)
        {
            return (settings, null);
        }

        var site = SiteConfigLoader.Load(RelativeToCwd(sitePath), time.GetUtcNow());
        Write(site.Errors, stderr);
        return settingsErrors.Count == 0 ? (settings, site.Site) : (null, site.Site);
    }

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
