using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;

namespace EnergyMonitor.Acquisition;

/// <summary>A site with the templates its polled meters use: Modbus register maps, DL/T 645 identifiers, CJ/T 188 layouts.</summary>
public sealed record LoadedSite(SiteModel Model, IReadOnlyDictionary<string, MeterTemplate> Templates)
{
    public LoadedSite(SiteModel model, TemplateSet templates)
        : this(model, templates.Modbus)
    {
        Dlt645Templates = templates.Dlt645;
        Cjt188Templates = templates.Cjt188;
    }

    public IReadOnlyDictionary<string, Dlt645Template> Dlt645Templates { get; init; } = TemplateSet.Empty.Dlt645;

    public IReadOnlyDictionary<string, Cjt188Template> Cjt188Templates { get; init; } = TemplateSet.Empty.Cjt188;
}

/// <summary>The site file and the <c>templates/</c> folder beside it, loaded and checked together.</summary>
public static class SiteFiles
{
    /// <summary>The site and the templates in the <c>templates/</c> folder beside it, checked together.</summary>
    public static (LoadedSite? Site, IReadOnlyList<ConfigError> Errors) Load(string sitePath, TimeProvider time)
    {
        var (templates, templateErrors) = TemplateLoader.LoadAll(TemplatesDirectory(sitePath));
        var site = SiteConfigLoader.Load(RelativeToCwd(sitePath), time.GetUtcNow(), templates.Facts());
        var loaded = templateErrors.Count == 0 && site.Site is { } model ? new LoadedSite(model, templates) : null;
        return (loaded, [.. templateErrors, .. site.Errors]);
    }

    public static string TemplatesDirectory(string sitePath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sitePath))!, "templates");

    // Operators compare paths in error messages with what they typed; a relative path reads better.
    private static string RelativeToCwd(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
