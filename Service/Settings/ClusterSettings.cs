using System.ComponentModel.DataAnnotations;

namespace EnergyMonitor.Service.Settings;

/// <summary>
/// Several instances sharing one PostgreSQL database (docs/OPERATIONS.md § Two instances): used with
/// <c>Storage:Kind: Postgres</c> only, where the Quartz job store is clustered and gateways are leased.
/// </summary>
public sealed class ClusterSettings : IValidatableObject
{
    /// <summary>
    /// Unique per instance and stable across its restarts: it names the instance's Quartz node, its leases and its MQTT
    /// session in a shared group. Empty: the host name.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9._-]{0,64}$", ErrorMessage = "letters, digits, '.', '_' or '-', at most 64 characters")]
    public string InstanceId { get; set; } = "";

    /// <summary>
    /// How long a lease outlives its holder's last renewal: the longest a dead instance's gateways go unpolled is
    /// this plus <see cref="RenewSeconds"/>.
    /// </summary>
    [Range(3, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often an instance renews its leases and claims its share; less than half of <see cref="LeaseSeconds"/>.</summary>
    [Range(1, 1800)]
    public int RenewSeconds { get; set; } = 10;

    /// <summary>The instance id in use: the configured one, else the host name.</summary>
    public string ResolvedInstanceId => InstanceId.Length > 0 ? InstanceId : Environment.MachineName;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // One missed renewal must not cost the lease: a holder renews at least twice per lease.
        if (RenewSeconds * 2 > LeaseSeconds)
        {
            yield return new ValidationResult($"at most half of LeaseSeconds ({LeaseSeconds}), so that one late renewal does not lose a lease", [nameof(RenewSeconds)]);
        }
    }
}
