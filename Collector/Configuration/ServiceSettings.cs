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

/// <summary>InfluxDB options plus where its secrets come from (docs/CONFIG.md#secrets).</summary>
public sealed class InfluxSettings
{
    [Required]
    public Uri Url { get; set; } = new("http://127.0.0.1:8086");

    [Range(1, 2)]
    public int ApiVersion { get; set; } = 1;

    public string Database { get; set; } = "energymonitor";

    public string RetentionPolicy { get; set; } = "";

    public string RetentionDuration { get; set; } = "";

    public bool CreateDatabase { get; set; } = true;

    public string Username { get; set; } = "";

    public string? PasswordEnv { get; set; }

    public string? PasswordFile { get; set; }

    public string? TokenEnv { get; set; }

    public string? TokenFile { get; set; }

    public string Org { get; set; } = "";

    public string Bucket { get; set; } = "";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The store options with secrets resolved from the environment or files.</summary>
    public InfluxOptions Resolve(string settingsFile) => new()
    {
        Url = Url,
        ApiVersion = ApiVersion,
        Database = Database,
        RetentionPolicy = RetentionPolicy,
        RetentionDuration = RetentionDuration,
        CreateDatabase = CreateDatabase,
        Username = Username,
        Password = Secrets.Resolve(PasswordEnv, PasswordFile, "EnergyMonitor:Storage:Influx:Password", settingsFile) ?? "",
        Token = Secrets.Resolve(TokenEnv, TokenFile, "EnergyMonitor:Storage:Influx:Token", settingsFile) ?? "",
        Org = Org,
        Bucket = Bucket,
        TimeoutSeconds = TimeoutSeconds,
    };
}
