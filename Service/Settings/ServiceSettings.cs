using System.ComponentModel.DataAnnotations;
using EnergyMonitor.Site;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Outbox;
using EnergyMonitor.Web;

namespace EnergyMonitor.Service.Settings;

/// <summary>The service's own settings (<c>appsettings.json</c>, section <c>EnergyMonitor</c>); the site lives in site.yaml.</summary>
public sealed class ServiceSettings
{
    public const string Section = "EnergyMonitor";

    /// <summary>The site file; relative paths resolve against the settings file's folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SiteFile { get; set; } = "site.yaml";

    [Required]
    public StorageSettings Storage { get; set; } = new();

    [Required]
    public MqttSettings Mqtt { get; set; } = new();

    [Required]
    public ScheduleSettings Schedule { get; set; } = new();

    [Required]
    public ConsumptionSettings Consumption { get; set; } = new();

    [Required]
    public AlertSettings Alerts { get; set; } = new();

    [Required]
    public ReportSettings Reports { get; set; } = new();

    [Required]
    public HttpSettings Http { get; set; } = new();

    [Required]
    public LoggingSettings Logs { get; set; } = new();

    [Required]
    public ClusterSettings Cluster { get; set; } = new();

    /// <summary>Coefficient sets added to (or replacing, by id) the built-in GB/T 2589-2020 and MEE/NBS sets.</summary>
    [UniqueBy(nameof(CoefficientSetSettings.Id))]
    public List<CoefficientSetSettings> CoefficientSets { get; set; } = [];

    /// <summary>How often health.json (beside the database) is rewritten and status changes are logged.</summary>
    [Range(1, 3600)]
    public int HealthPeriodSeconds { get; set; } = 30;
}

/// <summary>MQTT brokers to subscribe to; meters bind to topics in site.yaml, gateways' batch topics here.</summary>
public sealed class MqttSettings
{
    /// <summary>Health, metrics and the quarantine name a broker by <see cref="MqttBrokerSettings.Name"/>, so names are unique.</summary>
    [UniqueBy(nameof(MqttBrokerSettings.Name))]
    public List<MqttBrokerSettings> Brokers { get; set; } = [];

    [Range(1024, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:01:00", "3660.00:00:00")]
    public TimeSpan LateWindow { get; set; } = TimeSpan.FromDays(7);
}

public sealed class MqttBrokerSettings
{
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "broker";

    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    [Required(AllowEmptyStrings = false)]
    public string ClientId { get; set; } = "energymonitor";

    /// <summary>How long the broker keeps the session (and queues QoS 1 messages) while the service is away; MQTT caps it at 2³² − 1 s.</summary>
    [Range(0, 1_193_046)]
    public int SessionExpiryHours { get; set; } = 168;

    /// <summary>Unacknowledged messages the broker may send ahead; also the largest batch committed at once.</summary>
    [Range(1, 65535)]
    public int ReceiveMaximum { get; set; } = 10000;

    public string Username { get; set; } = "";

    public string? PasswordEnv { get; set; }

    public string? PasswordFile { get; set; }

    public bool UseTls { get; set; }

    public string? CaFile { get; set; }

    /// <summary>
    /// With several instances: the MQTT 5 shared-subscription group (<c>$share/GROUP/filter</c>) in which they split
    /// the broker's stream, each message to one of them; each instance then connects as <c>ClientId-InstanceId</c>, its
    /// own persistent session. Empty: every filter subscribed plainly, as one instance does.
    /// </summary>
    [RegularExpression(@"^[^/+#]{0,64}$", ErrorMessage = "a group name without '/', '+' or '#' (MQTT 5 §4.8.2), at most 64 characters")]
    public string SharedGroup { get; set; } = "";

    /// <summary>Pattern mappings for topics that carry several meters or name the meter in the topic.</summary>
    public List<MqttMappingSettings> Mappings { get; set; } = [];
}

public sealed class MqttMappingSettings
{
    /// <summary>e.g. <c>energy/{building}/{meter}/reading</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Topic { get; set; } = "";

    /// <summary>The meter id from the captures, e.g. <c>{meter}</c>; unused when <see cref="Items"/> is set.</summary>
    public string Meter { get; set; } = "{meter}";

    /// <summary>JSON path of the value; empty for a plain-number payload.</summary>
    public string? Value { get; set; }

    public string? Timestamp { get; set; }

    /// <summary>JSON path of an array (or object keyed by meter) of several meters' readings.</summary>
    public string? Items { get; set; }

    /// <summary>Within each item, the JSON path of the meter id.</summary>
    public string? ItemMeter { get; set; }

    /// <summary>The unit the payload counts in (e.g. Wh, L); default the meter's.</summary>
    public string? Unit { get; set; }
}

public enum StoreKind
{
    /// <summary>The embedded SQLite store: no server.</summary>
    Sqlite,

    /// <summary>InfluxDB behind the durable outbox (which lives in the embedded database).</summary>
    Influx,

    /// <summary>
    /// PostgreSQL for everything (readings behind the durable outbox, consumption, rollups, indicators, alerts, the
    /// quarantine, the report archive); only the outbox stays in the local embedded file, by design.
    /// </summary>
    Postgres,
}

public sealed class StorageSettings
{
    public StoreKind Kind { get; set; } = StoreKind.Sqlite;

    /// <summary>Always used: readings (for the Sqlite kind), the outbox, the quarantine, consumption and rollups, indicators and the Quartz job store.</summary>
    [Required]
    public SqliteOptions Sqlite { get; set; } = new();

    [Required]
    public InfluxSettings Influx { get; set; } = new();

    [Required]
    public OutboxOptions Outbox { get; set; } = new();

    [Required]
    public PostgresSettings Postgres { get; set; } = new();
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

/// <summary>When the analytics jobs run: Quartz cron expressions (with seconds), in the site's time zone.</summary>
public sealed class ScheduleSettings
{
    /// <summary>The consumption and rollup pass; every 15 minutes, a minute after the quarter so the last readings are in.</summary>
    [Cron]
    public string RollupCron { get; set; } = "0 1/15 * * * ?";

    /// <summary>The daily indicators, after the night's last rollup pass.</summary>
    [Cron]
    public string IndicatorsCron { get; set; } = "0 30 1 * * ?";

    /// <summary>A trigger later than this (the service was stopped or busy) counts as missed and runs once when it can.</summary>
    [Range(1, 86_400)]
    public int MisfireThresholdSeconds { get; set; } = 60;
}

/// <summary>
/// A standard-coal and emission coefficient set for a region from a year on, e.g. a province's 等价值 electricity
/// coefficient or a newer grid emission factor. Kinds are named as in site.yaml; every set names its source.
/// </summary>
public sealed class CoefficientSetSettings
{
    [Required(AllowEmptyStrings = false)]
    public string Id { get; set; } = "";

    /// <summary>"CN", or a 行政区划 code prefix: "32" for Jiangsu, "3201" for Nanjing.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^(CN|[0-9]{2,6})$", ErrorMessage = "CN, or a region code prefix of 2 to 6 digits")]
    public string Region { get; set; } = "CN";

    [Range(2000, 2100)]
    public int FromYear { get; set; }

    /// <summary>Equivalent (当量值) or EquivalentInput (等价值) for electricity.</summary>
    [AllowedValues("Equivalent", "EquivalentInput", ErrorMessage = "Equivalent (当量值) or EquivalentInput (等价值)")]
    public string ElectricityBasis { get; set; } = "Equivalent";

    /// <summary>kgce per canonical unit, by kind; kinds not given keep the built-in factor.</summary>
    [FactorsByKind]
    public Dictionary<string, double> Kgce { get; set; } = [];

    /// <summary>kgce per kWh on the 等价值 basis (about 0.3 in the statistics of recent years).</summary>
    [Range(0.0, 1.0)]
    public double? ElectricityEquivalentInput { get; set; }

    /// <summary>kgCO2 per canonical unit, by kind; kinds not given keep the built-in factor.</summary>
    [FactorsByKind]
    public Dictionary<string, double> Co2 { get; set; } = [];

    [Required(AllowEmptyStrings = false)]
    public string Source { get; set; } = "";
}

/// <summary>How counters become consumption.</summary>
public sealed class ConsumptionSettings
{
    /// <summary>Gaps in a meter's readings up to this long are spread linearly and flagged estimated; longer ones are put whole where readings resume.</summary>
    [Range(0.25, 24 * 31)]
    public double MaxGapHours { get; set; } = 6;

    public Analytics.Consumption.ConsumptionOptions ToOptions() => new() { MaxGap = TimeSpan.FromHours(MaxGapHours) };
}

/// <summary>Scheduled reports and their archive (docs/REPORTS.md).</summary>
public sealed class ReportSettings : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Formats.Where(f => f is not ("html" or "pdf" or "xlsx" or "csv"))
            .Select(f => new ValidationResult($"formats among html, pdf, xlsx, csv (found \"{f}\")", [nameof(Formats)]));

    /// <summary>Last month's reports; the 1st of each month at 02:00 by default.</summary>
    [Cron]
    public string MonthlyCron { get; set; } = "0 0 2 1 * ?";

    /// <summary>The draft of last year's statistical submission; the 10th of January at 03:00 by default.</summary>
    [Cron]
    public string SubmissionCron { get; set; } = "0 0 3 10 1 ?";

    /// <summary>Prices for the cost in reports and the submission's 金额; relative to the settings file. Without it, no costs.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TariffsFile { get; set; } = "tariffs.yaml";

    /// <summary>The archive folder; relative to the database's folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ArchiveDirectory { get; set; } = "reports";

    [MinLength(1)]
    public List<string> Formats { get; set; } = ["html", "pdf", "xlsx"];

    [AllowedValues("zh", "en", ErrorMessage = "zh or en")]
    public string Language { get; set; } = "zh";

    /// <summary>Each institution's report besides the region's.</summary>
    public bool Institutions { get; set; } = true;

    /// <summary>
    /// Empty (the default) for the CJK font shipped with EnergyMonitor; else system font families to look for
    /// through fontconfig, in order, the first installed one used. Naming families none of which is installed is an error.
    /// </summary>
    public List<string> FontFamilies { get; set; } = [];
}

/// <summary>Where the service writes its log files besides the console, and how many days it keeps.</summary>
public sealed class LoggingSettings
{
    /// <summary>Relative to the database's folder; empty for no files.</summary>
    public string Directory { get; set; } = "logs";

    [Range(1, 3650)]
    public int RetainedDays { get; set; } = 30;

    /// <summary>A file is rolled when it reaches this size, the day's next file continuing it.</summary>
    [Range(1, 1024)]
    public int MaxFileMegabytes { get; set; } = 32;

    /// <summary>
    /// All log files together: the oldest file goes first when a new one would pass it, even within
    /// <see cref="RetainedDays"/>, so that a flood of events cannot fill the disk the database lives on.
    /// </summary>
    [Range(1, 1024 * 1024)]
    public int MaxTotalMegabytes { get; set; } = 1024;

    /// <summary>The least level logged: Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    [AllowedValues("Verbose", "Debug", "Information", "Warning", "Error", "Fatal", ErrorMessage = "Verbose, Debug, Information, Warning, Error or Fatal")]
    public string Level { get; set; } = "Information";
}
