using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Collector.Configuration;

/// <summary>The coefficient catalogue: the built-in sets, plus (or replaced by id with) the configured ones.</summary>
public static class CoefficientSettings
{
    public static CoefficientCatalog Build(IReadOnlyList<CoefficientSetSettings> configured, string settingsFile)
    {
        var errors = new List<ConfigError>();
        var sets = CoefficientCatalog.Defaults.Sets.ToDictionary(s => s.Id, StringComparer.Ordinal);
        for (var i = 0; i < configured.Count; i++)
        {
            var c = configured[i];
            var path = $"{ServiceSettings.Section}:CoefficientSets:{i}";

            // Kinds a set does not give keep the built-in factor in force for its first year.
            var inherited = CoefficientCatalog.Defaults.Sets.Where(s => s.FromYear <= c.FromYear).MaxBy(s => s.FromYear) ?? CoefficientCatalog.Defaults.Sets[0];
            var kgce = new Dictionary<EnergyKind, Factor>(inherited.KgcePerUnit);
            var co2 = new Dictionary<EnergyKind, Factor>(inherited.Co2PerUnit);
            Overlay(c.Kgce, kgce, $"{path}:Kgce", c.Source, settingsFile, errors);
            Overlay(c.Co2, co2, $"{path}:Co2", c.Source, settingsFile, errors);
            if (!Enum.TryParse<ElectricityBasis>(c.ElectricityBasis, ignoreCase: false, out var basis))
            {
                errors.Add(new ConfigError(settingsFile, 0, 0, $"{path}:ElectricityBasis", $"\"{c.ElectricityBasis}\"", "Equivalent (当量值) or EquivalentInput (等价值)"));
            }

            var input = c.ElectricityEquivalentInput is { } v ? new Factor(v, c.Source, Confidence.Verified) : inherited.ElectricityEquivalentInput;
            sets[c.Id] = new CoefficientSet(c.Id, c.Region, c.FromYear, basis, kgce, input, co2);
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        return new CoefficientCatalog(sets.Values.OrderBy(s => s.FromYear).ThenBy(s => s.Id, StringComparer.Ordinal).ToList());
    }

    private static void Overlay(Dictionary<string, double> given, Dictionary<EnergyKind, Factor> into, string path, string source, string settingsFile, List<ConfigError> errors)
    {
        foreach (var (name, value) in given)
        {
            if (!EnergyKinds.TryParse(name, out var kind))
            {
                errors.Add(new ConfigError(settingsFile, 0, 0, $"{path}:{name}", $"\"{name}\"", "an energy kind as in site.yaml: electricity, natural-gas, heat …"));
            }
            else if (!double.IsFinite(value) || value < 0)
            {
                errors.Add(new ConfigError(settingsFile, 0, 0, $"{path}:{name}", value.ToString(System.Globalization.CultureInfo.InvariantCulture), "a factor of 0 or more per canonical unit"));
            }
            else
            {
                into[kind] = new Factor(value, source, Confidence.Verified);
            }
        }
    }
}
