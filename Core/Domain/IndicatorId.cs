using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnergyMonitor.Core.Domain;

/// <summary>
/// One of the statistical indicators an institution is judged on (docs/DOMAIN.md § Indicators): its id, the one
/// spelling in the scorecard and quota files, in stored indicators and in the API (<c>energy-per-area</c>); its name
/// in both languages; and its unit. A target, a quota, a score item and a report row all name an indicator by this
/// type, so none of them can name one that does not exist.
/// </summary>
[JsonConverter(typeof(IndicatorIdJsonConverter))]
public sealed class IndicatorId : IEquatable<IndicatorId>
{
    /// <summary>单位建筑面积能耗, kgce per m² of floor area.</summary>
    public static IndicatorId EnergyPerArea { get; } = new("energy-per-area", new("单位建筑面积能耗", "Energy per floor area"), "kgce/m²", "energy per m²");

    /// <summary>人均综合能耗, kgce per 用能人数.</summary>
    public static IndicatorId EnergyPerPerson { get; } = new("energy-per-person", new("人均综合能耗", "Energy per person"), "kgce/人", "energy per person");

    /// <summary>人均用水量, m³ per 用能人数.</summary>
    public static IndicatorId WaterPerPerson { get; } = new("water-per-person", new("人均用水量", "Water per person"), "m³/人", "water per person");

    /// <summary>CO2 per m² of floor area.</summary>
    public static IndicatorId Co2PerArea { get; } = new("co2-per-area", new("单位建筑面积碳排放", "CO2 per floor area"), "kgCO2/m²", "CO2 per m²");

    public static IReadOnlyList<IndicatorId> All { get; } = [EnergyPerArea, EnergyPerPerson, WaterPerPerson, Co2PerArea];

    private IndicatorId(string id, LocalizedText name, string unit, string legacyName)
    {
        Id = id;
        Name = name;
        Unit = unit;
        LegacyName = legacyName;
    }

    public string Id { get; }

    public LocalizedText Name { get; }

    public string Unit { get; }

    /// <summary>How indicators stored before this type named it ("energy per m²"); read, never written.</summary>
    internal string LegacyName { get; }

    public static bool TryParse(string? text, out IndicatorId indicator)
    {
        indicator = All.FirstOrDefault(i => i.Id == text)!;
        return indicator is not null;
    }

    public static IndicatorId Parse(string text) =>
        TryParse(text, out var indicator) ? indicator : throw new FormatException($"\"{text}\" is not an indicator: {string.Join(", ", All.Select(i => i.Id))}");

    public bool Equals(IndicatorId? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Id;
}

/// <summary>Writes an indicator as its id; reads its id, or the prose name stored by earlier versions.</summary>
public sealed class IndicatorIdJsonConverter : JsonConverter<IndicatorId>
{
    public override IndicatorId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (IndicatorId.TryParse(text, out var indicator))
        {
            return indicator;
        }

        return IndicatorId.All.FirstOrDefault(i => i.LegacyName == text) ?? throw new JsonException($"\"{text}\" is not an indicator");
    }

    public override void Write(Utf8JsonWriter writer, IndicatorId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Id);
}
