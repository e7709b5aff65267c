using System.ComponentModel.DataAnnotations;

namespace EnergyMonitor.Storage.Influx;

/// <summary>Where and how readings go to InfluxDB.</summary>
public class InfluxOptions
{
    [Required]
    public Uri Url { get; set; } = new("http://127.0.0.1:8086");

    /// <summary>
    /// 1: line protocol on <c>/write</c> and InfluxQL on <c>/query</c>, served by 1.x, by 2.x's v1 compatibility API
    /// (with a DBRP mapping) and by 3.x. 2: InfluxDB.Client's <c>/api/v2</c> write and Flux query APIs.
    /// </summary>
    [Range(1, 2)]
    public int ApiVersion { get; set; } = 1;

    /// <summary>v1 database (or the database a 2.x DBRP mapping names).</summary>
    public string Database { get; set; } = "energymonitor";

    /// <summary>v1 retention policy; empty uses the database default.</summary>
    public string RetentionPolicy { get; set; } = "";

    /// <summary>Created with the database on first start when the server allows it, e.g. "0s" (forever) or "1095d".</summary>
    public string RetentionDuration { get; set; } = "";

    public bool CreateDatabase { get; set; } = true;

    /// <summary>v1 user; the password comes from <see cref="Password"/> (resolved from PasswordEnv/PasswordFile by the host).</summary>
    public string Username { get; set; } = "";

    /// <summary>Resolved at start-up from PasswordEnv or PasswordFile; never configured directly.</summary>
    public string Password { get; set; } = "";

    /// <summary>Resolved at start-up from TokenEnv or TokenFile: sent as <c>Authorization: Token …</c> (2.x, 3.x).</summary>
    public string Token { get; set; } = "";

    public string Org { get; set; } = "";

    public string Bucket { get; set; } = "";

    public string Measurement { get; set; } = "reading";

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}
