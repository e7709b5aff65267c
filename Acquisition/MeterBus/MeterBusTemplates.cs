using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;

namespace EnergyMonitor.Acquisition.MeterBus;

/// <summary>The data identifiers one DL/T 645 meter model answers, and what each means, as its manual gives them.</summary>
public sealed record Dlt645Template(string Name, string Manufacturer, string Model, string Source, Dlt645Edition Edition, IReadOnlyList<Dlt645Point> Points)
{
    public Dlt645Point Primary => Points.Single(p => p.Primary);

    public UnitInfo CountingUnit => UnitCatalog.TryParse(Primary.Unit, out var unit) ? unit : UnitCatalog.Kwh;
}

/// <summary>One identifier of the template: its value's picture, unit, and how the site's transformer ratios apply.</summary>
public sealed record Dlt645Point(
    string Name,
    string Description,
    DataIdentifier Identifier,
    BcdFormat Format,
    string Unit,
    bool Primary,
    bool Fast,
    TransformerScaling Transformer,
    double? Min,
    double? Max);

/// <summary>
/// A CJ/T 188 meter model: its type byte, the layout of its 901FH reply, and which fields the service stores. Values
/// arrive in the canonical unit of their kind (GJ, m³, kW, m³/h), whatever unit byte the meter sent.
/// </summary>
public sealed record Cjt188Template(string Name, string Manufacturer, string Model, string Source, Cjt188MeterType MeterType, Cjt188Layout Layout, IReadOnlyList<Cjt188Point> Points)
{
    public Cjt188Point Primary => Points.Single(p => p.Primary);

    public UnitInfo CountingUnit => UnitCatalog.TryParse(Primary.Unit, out var unit) ? unit : UnitCatalog.CubicMetre;
}

/// <param name="Unit">The canonical unit the value is stored in (GJ, m3, kW, m3/h, °C, h).</param>
public sealed record Cjt188Point(string Name, string Description, Cjt188Field Field, string Unit, bool Primary, double? Min, double? Max);

/// <summary>Every template of a site's <c>templates/</c> folder, by protocol.</summary>
public sealed record TemplateSet(
    IReadOnlyDictionary<string, Polling.MeterTemplate> Modbus,
    IReadOnlyDictionary<string, Dlt645Template> Dlt645,
    IReadOnlyDictionary<string, Cjt188Template> Cjt188)
{
    public static TemplateSet Empty { get; } = new(new Dictionary<string, Polling.MeterTemplate>(), new Dictionary<string, Dlt645Template>(), new Dictionary<string, Cjt188Template>());

    /// <summary>What the site file checks a meter's template against.</summary>
    public IReadOnlyDictionary<string, TemplateFacts> Facts()
    {
        var facts = new Dictionary<string, TemplateFacts>(StringComparer.Ordinal);
        foreach (var (name, t) in Modbus)
        {
            facts[name] = new TemplateFacts(MeterProtocol.Modbus, t.CountingUnit);
        }

        foreach (var (name, t) in Dlt645)
        {
            facts[name] = new TemplateFacts(MeterProtocol.Dlt645, t.CountingUnit, t.Edition);
        }

        foreach (var (name, t) in Cjt188)
        {
            facts[name] = new TemplateFacts(MeterProtocol.Cjt188, t.CountingUnit, Cjt188Type: (byte)t.MeterType);
        }

        return facts;
    }
}
