using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.Site;

namespace EnergyMonitor.Acquisition.MeterBus;

/// <summary>Reads DL/T 645 and CJ/T 188 templates; every error names its field, as for the site file.</summary>
internal static class MeterBusTemplateReader
{
    private static readonly Dictionary<string, Cjt188MeterType> MeterTypes = new(StringComparer.Ordinal)
    {
        ["cold-water"] = Cjt188MeterType.ColdWater,
        ["hot-water"] = Cjt188MeterType.HotWater,
        ["drinking-water"] = Cjt188MeterType.DrinkingWater,
        ["reclaimed-water"] = Cjt188MeterType.ReclaimedWater,
        ["heat"] = Cjt188MeterType.Heat,
        ["cooling"] = Cjt188MeterType.Cooling,
        ["gas"] = Cjt188MeterType.Gas,
    };

    private static readonly Dictionary<string, Cjt188Field> Fields = Enum.GetValues<Cjt188Field>()
        .ToDictionary(f => char.ToLowerInvariant(f.ToString()[0]) + f.ToString()[1..], StringComparer.Ordinal);

    public static Dlt645Template? ReadDlt645(string name, YamlMap root, Dlt645Edition edition)
    {
        var (manufacturer, model, source) = Header(root);
        var version = edition == Dlt645Edition.V2007 ? Dlt645Version.V2007 : Dlt645Version.V1997;
        var points = root.MapList("points").Select(p => ReadDlt645Point(p, version)).OfType<Dlt645Point>().ToList();
        root.Finish();
        CheckPoints(root, points.Select(p => (p.Name, p.Primary, p.Unit)).ToList());
        foreach (var twice in points.GroupBy(p => p.Identifier).Where(g => g.Count() > 1))
        {
            root.Error("points", $"identifier {twice.Key} read as {string.Join(" and ", twice.Select(p => p.Name))}", "each identifier once");
        }

        return root.Errors.Errors.Count > 0 || manufacturer is null || model is null || source is null
            ? null
            : new Dlt645Template(name, manufacturer, model, source, edition, points);
    }

    public static Cjt188Template? ReadCjt188(string name, YamlMap root)
    {
        var (manufacturer, model, source) = Header(root);
        var typeText = root.String("meterType", expected: $"the meter's CJ/T 188 type: {string.Join(", ", MeterTypes.Keys)}");
        Cjt188MeterType? type = typeText is null ? null : MeterTypes.TryGetValue(typeText, out var t) ? t : null;
        if (typeText is not null && type is null)
        {
            root.Error("meterType", $"\"{typeText}\"", string.Join(", ", MeterTypes.Keys));
        }

        var layout = type is { } mt ? Cjt188Layout.For(mt) : Cjt188Layout.Volume;
        if (root.Map("formats", required: false) is { } formats)
        {
            foreach (var field in layout.Fields.ToList())
            {
                var key = Key(field.Field);
                if (formats.String(key, required: false, expected: $"a BCD picture of {field.Format.Bytes} bytes, e.g. {field.Format}") is { } picture)
                {
                    if (BcdFormat.Parse(picture) is { } format && format.Bytes == field.Format.Bytes && !format.Signed)
                    {
                        layout = layout.With(field.Field, format);
                    }
                    else
                    {
                        formats.Error(key, $"\"{picture}\"", $"a picture of {2 * field.Format.Bytes} digits such as {field.Format}: the field's width is fixed by the standard");
                    }
                }
            }

            formats.Finish();
        }

        // An unknown type is one error, not one more for every point: its points are then only checked for known fields.
        var points = root.MapList("points").Select(p => ReadCjt188Point(p, type is null ? null : layout)).OfType<Cjt188Point>().ToList();
        root.Finish();
        CheckPoints(root, points.Select(p => (p.Name, p.Primary, p.Unit)).ToList());
        return root.Errors.Errors.Count > 0 || manufacturer is null || model is null || source is null || type is null
            ? null
            : new Cjt188Template(name, manufacturer, model, source, type.Value, layout, points);
    }

    private static (string? Manufacturer, string? Model, string? Source) Header(YamlMap root) =>
        (root.String("manufacturer"), root.String("model"),
            root.String("source", expected: "the manual and section the identifiers come from, or \"generic\" with the standard's clause"));

    private static void CheckPoints(YamlMap root, IReadOnlyList<(string Name, bool Primary, string Unit)> points)
    {
        var primaries = points.Count(p => p.Primary);
        if (primaries != 1 && root.Errors.Errors.Count == 0)
        {
            root.Error("points", $"{primaries} points marked primary", "exactly one primary point: the counter that is the meter's reading");
        }

        foreach (var twice in points.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            root.Error("points", $"two points named {twice.Key}", "a name per point");
        }
    }

    private static Dlt645Point? ReadDlt645Point(YamlMap map, Dlt645Version version)
    {
        var name = map.String("name");
        var description = map.String("description", required: false) ?? "";
        var expectedDi = version == Dlt645Version.V2007
            ? "a DL/T 645-2007 data identifier of 8 hex digits as the standard prints it (DI3…DI0), e.g. \"00010000\""
            : "a DL/T 645-1997 data identifier of 4 hex digits, e.g. \"9010\"";
        var diText = map.String("di", expected: expectedDi);
        DataIdentifier? di = null;
        if (diText is not null)
        {
            if (DataIdentifier.TryParse(diText, out var parsed) && parsed.Version == version)
            {
                di = parsed;
            }
            else
            {
                map.Error("di", $"\"{diText}\"", expectedDi);
            }
        }

        var known = di is { } d ? Dlt645Catalogue.Find(d) : null;
        var pictureText = map.String("format", required: false, expected: "the value's BCD picture, e.g. XXXXXX.XX or ±XX.XXXX");
        BcdFormat? format = known?.Format;
        if (pictureText is not null)
        {
            format = BcdFormat.Parse(pictureText);
            if (format is null)
            {
                map.Error("format", $"\"{pictureText}\"", "a BCD picture of an even number of X, with a point and a leading ± where signed, e.g. XXXXXX.XX or ±XX.XXXX");
            }
        }
        else if (di is not null && known is null)
        {
            map.Error("di", $"\"{diText}\", which is not in the driver's table", $"an identifier of the table ({string.Join(", ", Dlt645Catalogue.Items.Where(i => i.Identifier.Version == version).Select(i => i.Identifier))}), or a format: for one that is not");
        }

        var unit = map.String("unit", required: false, expected: "the unit the value is in, e.g. kWh, V, A, kW") ?? known?.Unit ?? "";
        var primary = TemplateLoader.Bool(map, "primary") ?? false;
        var fast = TemplateLoader.Bool(map, "fast") ?? false;
        var transformer = TemplateLoader.Transformer(map, primary);
        var min = map.Number("min", false, _ => true, "a number");
        var max = map.Number("max", false, _ => true, "a number");
        map.Finish();
        if (primary && !UnitCatalog.TryParse(unit, out _))
        {
            map.Error("unit", unit.Length == 0 ? "nothing" : $"\"{unit}\"", $"the primary point's counting unit: {UnitCatalog.KnownSymbols}");
            return null;
        }

        return name is null || di is null || format is null || transformer is null
            ? null
            : new Dlt645Point(name, description, di.Value, format.Value, unit, primary, fast, transformer.Value, min, max);
    }

    private static Cjt188Point? ReadCjt188Point(YamlMap map, Cjt188Layout? layout)
    {
        var name = map.String("name");
        var description = map.String("description", required: false) ?? "";
        var fieldsHere = layout is null ? string.Join(", ", Fields.Keys) : string.Join(", ", layout.Fields.Select(f => Key(f.Field)));
        var fieldText = map.String("field", expected: $"a field of this meter type's reply: {fieldsHere}");
        Cjt188Field? field = fieldText is not null && Fields.TryGetValue(fieldText, out var f) && (layout?.Has(f) ?? true) ? f : null;
        if (fieldText is not null && field is null)
        {
            map.Error("field", $"\"{fieldText}\"", $"a field of this meter type's reply: {fieldsHere}");
        }

        var primary = TemplateLoader.Bool(map, "primary") ?? false;
        var min = map.Number("min", false, _ => true, "a number");
        var max = map.Number("max", false, _ => true, "a number");
        map.Finish();
        return name is null || field is null ? null : new Cjt188Point(name, description, field.Value, CanonicalUnit(field.Value), primary, min, max);
    }

    /// <summary>The unit a field is stored in: the canonical unit of what it measures.</summary>
    public static string CanonicalUnit(Cjt188Field field) => field switch
    {
        Cjt188Field.CurrentHeat or Cjt188Field.SettlementHeat => "GJ",
        Cjt188Field.HeatPower => "kW",
        Cjt188Field.FlowRate => "m3/h",
        Cjt188Field.SupplyTemperature or Cjt188Field.ReturnTemperature => "°C",
        Cjt188Field.WorkingHours => "h",
        _ => "m3",
    };

    private static string Key(Cjt188Field field) => Fields.First(kv => kv.Value == field).Key;
}
