using System.ComponentModel.DataAnnotations;

namespace EnergyMonitor.Storage.Outbox;

/// <summary>What the outbox does when its bound is reached.</summary>
public enum OutboxFullPolicy
{
    /// <summary>Writers wait until delivery frees space: sources slow down (MQTT holds its acknowledgements), nothing is lost.</summary>
    Block,

    /// <summary>The oldest undelivered readings are deleted to make room: acquisition never waits, history is lost.</summary>
    DropOldest,
}

public sealed class OutboxOptions
{
    /// <summary>
    /// The bound on undelivered readings, in payload bytes: 21 a reading plus its meter id's length (35 for a 14-character
    /// id), so the default 512 MiB holds about 15 million readings.
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    public OutboxFullPolicy FullPolicy { get; set; } = OutboxFullPolicy.Block;

    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>How long a partial batch waits for company before it is sent anyway.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The outbox as health checks and metrics see it.</summary>
public sealed record OutboxStatus(
    long Depth,
    long Bytes,
    TimeSpan OldestAge,
    bool RemoteUp,
    long Delivered,
    long Retried,
    long Rejected,
    long Dropped,
    bool Blocking,
    string? LastError);
