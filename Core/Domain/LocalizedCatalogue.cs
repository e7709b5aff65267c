using System.Reflection;

namespace EnergyMonitor.Core.Domain;

/// <summary>
/// Reads a catalogue of words: a static class whose static <see cref="LocalizedText"/> properties are its entries,
/// keyed by the property's name (camel-cased, as templates write <c>T.signIn</c>). Templates get a catalogue as a
/// dictionary in one language; code uses the properties themselves.
/// </summary>
public static class LocalizedCatalogue
{
    /// <summary>Every entry of the catalogue, by its camel-cased name.</summary>
    public static IReadOnlyDictionary<string, LocalizedText> Entries(Type catalogue) =>
        catalogue.GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(LocalizedText) && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], p => (LocalizedText)p.GetValue(null)!, StringComparer.Ordinal);

    /// <summary>The catalogue in one language, for a template.</summary>
    public static IReadOnlyDictionary<string, string> In(Type catalogue, Language language) =>
        Entries(catalogue).ToDictionary(e => e.Key, e => e.Value.In(language), StringComparer.Ordinal);
}
