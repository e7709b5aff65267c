using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Conversion;

/// <summary>How sure a published number is: read in the source [V], found only second-hand [S], or unverified [U].</summary>
public enum Confidence
{
    Verified,
    Secondary,
    Unverified,
}

/// <summary>One coefficient per canonical unit of a kind (kgce per kWh, kgCO2 per m³ …) with where it comes from.</summary>
public sealed record Factor(double PerUnit, string Source, Confidence Confidence);

/// <summary>Which electricity coefficient counts toward standard coal: 当量值 (calorific equivalent) or 等价值 (equivalent input).</summary>
public enum ElectricityBasis
{
    Equivalent,
    EquivalentInput,
}

/// <summary>
/// A versioned set of standard-coal coefficients and emission factors, valid for a region (a 行政区划 code
/// prefix, or "CN" for the whole country) from a year on. Every converted figure names the set it used.
/// </summary>
public sealed record CoefficientSet(
    string Id,
    string Region,
    int FromYear,
    ElectricityBasis Basis,
    IReadOnlyDictionary<EnergyKind, Factor> KgcePerUnit,
    Factor? ElectricityEquivalentInput,
    IReadOnlyDictionary<EnergyKind, Factor> Co2PerUnit)
{
    /// <summary>The electricity coefficient on this set's basis.</summary>
    public Factor? Kgce(EnergyKind kind) =>
        kind == EnergyKind.Electricity && Basis == ElectricityBasis.EquivalentInput
            ? ElectricityEquivalentInput
            : KgcePerUnit.GetValueOrDefault(kind);
}
