using System.ComponentModel.DataAnnotations;
using EnergyMonitor.Storage.Embedded;

namespace EnergyMonitor.Collector.Configuration;

/// <summary>The service's own settings (<c>appsettings.json</c>, section <c>EnergyMonitor</c>); the site lives in site.yaml.</summary>
public sealed class ServiceSettings
{
    public const string Section = "EnergyMonitor";

    /// <summary>The site file; relative paths resolve against the settings file's folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SiteFile { get; set; } = "site.yaml";

    [Required]
    public StorageSettings Storage { get; set; } = new();
}

public sealed class StorageSettings
{
    [Required]
    public SqliteOptions Sqlite { get; set; } = new();
}
