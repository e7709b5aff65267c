namespace EnergyMonitor.Core.Ports;

/// <summary>
/// Work that one instance does alone while several share a database: polling a gateway, delivering the alerts. Each
/// item is held by at most one live instance at a time, and a holder that stops renewing loses it after the lease.
/// </summary>
public interface IWorkLeases
{
    /// <summary>
    /// One renewal round for this instance: keeps what it holds, gives up what it holds beyond its fair share of
    /// <paramref name="work"/> among the live instances, and claims free or expired items up to that share.
    /// </summary>
    /// <returns>The items this instance holds now.</returns>
    Task<IReadOnlySet<string>> RenewAsync(IReadOnlyCollection<string> work, CancellationToken cancellationToken);

    /// <summary>Gives every lease of this instance up at once (a clean stop), so that another takes them over now.</summary>
    Task ReleaseAllAsync(CancellationToken cancellationToken);
}

/// <summary>The names of the work that is leased.</summary>
public static class LeasedWork
{
    /// <summary>Delivering the alert notifications: one instance at a time, so that each goes out once.</summary>
    public const string AlertDelivery = "alert-delivery";

    public static string Gateway(string gateway) => "gateway:" + gateway;

    /// <summary>The gateway a work item names, or null when it names other work.</summary>
    public static string? GatewayOf(string work) => work.StartsWith("gateway:", StringComparison.Ordinal) ? work["gateway:".Length..] : null;
}
