using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Service.Settings;

/// <summary>
/// The coefficient catalogue: the built-in sets, plus (or replaced by id with) the configured ones, which the settings
/// loader has validated (kinds, factors, basis).
/// </summary>
public static class CoefficientSettings
{
    public static CoefficientCatalog Build(IReadOnlyList<CoefficientSetSettings> configured)
    {
        var sets = CoefficientCatalog.Defaults.Sets.ToDictionary(s => s.Id, StringComparer.Ordinal);
        for (var i = 0; i < configured.Count; i++)
        {
            var c = configured[i];

            // Kinds a set does not give keep the built-in factor in force for its first year.
            var inherited = CoefficientCatalog.Defaults.Sets.Where(s => s.FromYear <= c.FromYear).MaxBy(s => s.FromYear) ?? CoefficientCatalog.Defaults.Sets[0];
            var kgce = new Dictionary<EnergyKind, Factor>(inherited.KgcePerUnit);
            var co2 = new Dictionary<EnergyKind, Factor>(inherited.Co2PerUnit);
            Overlay(c.Kgce, kgce, c.Source);
            Overlay(c.Co2, co2, c.Source);
            var basis = Enum.Parse<ElectricityBasis>(c.ElectricityBasis);

            var input = c.ElectricityEquivalentInput is { } v ? new Factor(v, c.Source, Confidence.Verified) : inherited.ElectricityEquivalentInput;
            sets[c.Id] = new CoefficientSet(c.Id, c.Region, c.FromYear, basis, kgce, input, co2);
        }

        return new CoefficientCatalog(sets.Values.OrderBy(s => s.FromYear).ThenBy(s => s.Id, StringComparer.Ordinal).ToList());
    }

    private static void Overlay(Dictionary<string, double> given, Dictionary<EnergyKind, Factor> into, string source)
    {
        foreach (var (name, value) in given)
        {
            into[EnergyKinds.TryParse(name, out var kind) ? kind : throw new ArgumentException($"unknown kind {name}", nameof(given))] = new Factor(value, source, Confidence.Verified);
        }
    }
}
