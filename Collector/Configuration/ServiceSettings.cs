using System.ComponentModel.DataAnnotations;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Outbox;

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

public enum StoreKind
{
    /// <summary>The embedded SQLite store: no server.</summary>
    Sqlite,

    /// <summary>InfluxDB behind the durable outbox (which lives in the embedded database).</summary>
    Influx,
}

public sealed class StorageSettings
{
    public StoreKind Kind { get; set; } = StoreKind.Sqlite;

    /// <summary>Always used: readings (for the Sqlite kind), the outbox, and later the job store.</summary>
    [Required]
    public SqliteOptions Sqlite { get; set; } = new();

    [Required]
    public InfluxSettings Influx { get; set; } = new();

    [Required]
    public OutboxOptions Outbox { get; set; } = new();
}

/// <summary>
/// InfluxDB options as the settings file gives them: the secrets themselves are never written there, only where
/// they come from (docs/CONFIG.md#secrets).
/// </summary>
public sealed class InfluxSettings : InfluxOptions
{
    public string? PasswordEnv { get; set; }

    public string? PasswordFile { get; set; }

    public string? TokenEnv { get; set; }

    public string? TokenFile { get; set; }

    /// <summary>The store options with secrets resolved from the environment or files.</summary>
    public InfluxOptions Resolve(string settingsFile)
    {
        if (Password.Length > 0 || Token.Length > 0)
        {
            var field = Password.Length > 0 ? "Password" : "Token";
            throw new ConfigException([new ConfigError(settingsFile, 0, 0, $"EnergyMonitor:Storage:Influx:{field}", "a secret written into the settings file",
                $"{field}Env (an environment variable's name) or {field}File (a file readable only by the service); see docs/CONFIG.md#secrets")]);
        }

        var resolved = (InfluxSettings)MemberwiseClone();
        resolved.Password = Secrets.Resolve(PasswordEnv, PasswordFile, "EnergyMonitor:Storage:Influx:Password", settingsFile) ?? "";
        resolved.Token = Secrets.Resolve(TokenEnv, TokenFile, "EnergyMonitor:Storage:Influx:Token", settingsFile) ?? "";
        return resolved;
    }
}
