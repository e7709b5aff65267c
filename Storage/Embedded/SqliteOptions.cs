using System.ComponentModel.DataAnnotations;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>How the embedded store opens its database file.</summary>
public sealed class SqliteOptions
{
    /// <summary>The database file; relative paths resolve against the settings file's folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "data/energymonitor.db";

    /// <summary>
    /// FULL survives a power cut after a commit returns, which is what lets the collector acknowledge a
    /// reading to its source. NORMAL is faster but can lose the last commits on power loss (never on a crash).
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How long a writer waits for another connection's lock before failing.</summary>
    [Range(1, 600)]
    public int BusyTimeoutSeconds { get; set; } = 30;
}

public enum SqliteSynchronous
{
    Normal,
    Full,
}
