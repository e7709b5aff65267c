namespace EnergyMonitor.Core.Domain;

/// <summary>A meter's id: unique within a site, stable across renames, used as the storage key.</summary>
public readonly record struct MeterId(string Value)
{
    public override string ToString() => Value;
}
