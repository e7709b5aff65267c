using System.Globalization;
using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Modbus;
using EnergyMonitor.Site;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>
/// Loads templates (<c>config/templates/NAME.yaml</c>) with the same field-path errors as the site file. A template's
/// <c>protocol</c> says what it maps: Modbus registers (the default), DL/T 645 identifiers or a CJ/T 188 reply.
/// </summary>
public static class TemplateLoader
{
    /// <summary>The Modbus templates of a folder (the others are loaded too, and their errors reported).</summary>
    public static (IReadOnlyDictionary<string, MeterTemplate> Templates, IReadOnlyList<ConfigError> Errors) LoadDirectory(string directory)
    {
        var (set, errors) = LoadAll(directory);
        return (set.Modbus, errors);
    }

    public static (TemplateSet Templates, IReadOnlyList<ConfigError> Errors) LoadAll(string directory)
    {
        var templates = new Dictionary<string, MeterTemplate>(StringComparer.Ordinal);
        var dlt645 = new Dictionary<string, Dlt645Template>(StringComparer.Ordinal);
        var cjt188 = new Dictionary<string, Cjt188Template>(StringComparer.Ordinal);
        var errors = new List<ConfigError>();
        if (!Directory.Exists(directory))
        {
            return (TemplateSet.Empty, errors);
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var (text, readError) = YamlFile.ReadText(file);
            if (text is null)
            {
                errors.Add(readError!);
                continue;
            }

            var (template, fileErrors) = LoadAny(name, text, file);
            errors.AddRange(fileErrors);
            switch (template)
            {
                case MeterTemplate modbus:
                    templates[name] = modbus;
                    break;
                case Dlt645Template d:
                    dlt645[name] = d;
                    break;
                case Cjt188Template c:
                    cjt188[name] = c;
                    break;
            }
        }

        return (new TemplateSet(templates, dlt645, cjt188), errors);
    }

    /// <summary>A Modbus template from its text.</summary>
    public static (MeterTemplate? Template, IReadOnlyList<ConfigError> Errors) LoadText(string name, string yaml, string fileName)
    {
        var (template, errors) = LoadAny(name, yaml, fileName);
        return (template as MeterTemplate, errors);
    }

    /// <summary>A template of any protocol from its text: a <see cref="MeterTemplate"/>, <see cref="Dlt645Template"/> or <see cref="Cjt188Template"/>.</summary>
    public static (object? Template, IReadOnlyList<ConfigError> Errors) LoadAny(string name, string yaml, string fileName)
    {
        var errors = new ErrorSink(fileName);
        if (YamlFile.Parse(yaml, errors) is not { } root)
        {
            return (null, errors.Errors.Count > 0 ? errors.Errors : [new ConfigError(fileName, 0, 0, "(document)", "no document", "one YAML document")]);
        }

        const string protocols = "modbus (the default), dlt645-2007, dlt645-1997 or cjt188";
        object? template = root.String("protocol", required: false, expected: protocols) switch
        {
            null or "modbus" => ReadModbus(name, root, errors),
            "dlt645-2007" => MeterBusTemplateReader.ReadDlt645(name, root, Core.Site.Dlt645Edition.V2007),
            "dlt645-1997" => MeterBusTemplateReader.ReadDlt645(name, root, Core.Site.Dlt645Edition.V1997),
            "cjt188" => MeterBusTemplateReader.ReadCjt188(name, root),
            var other => Unknown(root, other, protocols),
        };
        return errors.Errors.Count > 0 ? (null, errors.Errors) : (template, []);
    }

    private static object? Unknown(YamlMap root, string found, string expected)
    {
        root.Error("protocol", $"\"{found}\"", expected);
        return null;
    }

    private static MeterTemplate? ReadModbus(string name, YamlMap root, ErrorSink errors)
    {

        var manufacturer = root.String("manufacturer");
        var model = root.String("model");
        var source = root.String("source", expected: "the manual and section the register map comes from");
        var maxCount = root.Integer("maxRegistersPerRequest", false, 1, ModbusLimits.MaxReadRegisters) ?? ModbusLimits.MaxReadRegisters;
        var maxGap = root.Integer("maxGap", false, 0, 100) ?? 8;
        var points = root.MapList("points").Select(ReadPoint).OfType<TemplatePoint>().ToList();
        root.Finish();

        var primaries = points.Count(p => p.Primary);
        if (primaries != 1 && errors.Errors.Count == 0)
        {
            root.Error("points", $"{primaries} points marked primary", "exactly one primary point: the counter that is the meter's reading");
        }

        foreach (var point in points.Where(p => p.Count > maxCount))
        {
            root.Error("points", $"point {point.Name} spans {point.Count} registers", $"at most maxRegistersPerRequest ({maxCount})");
        }

        return errors.Errors.Count > 0 || manufacturer is null || model is null || source is null
            ? null
            : new MeterTemplate(name, manufacturer, model, source, maxCount, maxGap, CountingUnitOf(points), points);
    }

    private static UnitInfo CountingUnitOf(IEnumerable<TemplatePoint> points) =>
        UnitCatalog.TryParse(points.Single(p => p.Primary).Unit, out var unit) ? unit : throw new InvalidOperationException("validated above");

    private static TemplatePoint? ReadPoint(YamlMap map)
    {
        var name = map.String("name");
        var description = map.String("description", required: false) ?? "";
        var function = map.Integer("function", true, 1, 4, "a read function: 1 (coils), 2 (discrete inputs), 3 (holding) or 4 (input registers)");
        List<RegisterField> fields;
        if (map.Has("fields"))
        {
            fields = map.MapList("fields").Select(f =>
            {
                var field = ReadField(f);
                f.Finish();
                return field;
            }).OfType<RegisterField>().ToList();
        }
        else
        {
            fields = ReadField(map) is { } single ? [single] : [];
        }

        var offset = map.Number("offset", false, _ => true, "a number") ?? 0;
        // Measurements (V, A, W, Hz) are labelled only; the primary counter's unit must be one we convert.
        var unit = map.String("unit", required: false, expected: "the unit the value is in, e.g. kWh, m3, V, W") ?? "";

        var primary = Bool(map, "primary") ?? false;
        var fast = Bool(map, "fast") ?? false;
        var transformer = Transformer(map, primary);
        var min = map.Number("min", false, _ => true, "a number");
        var max = map.Number("max", false, _ => true, "a number");
        map.Finish();

        if (primary && !UnitCatalog.TryParse(unit, out _))
        {
            map.Error("unit", unit.Length == 0 ? "nothing" : $"\"{unit}\"", $"the primary point's counting unit: {UnitCatalog.KnownSymbols}");
            return null;
        }

        return name is null || function is null || fields.Count == 0 || transformer is null
            ? null
            : new TemplatePoint(name, description, (ModbusFunction)function.Value, fields, offset, unit, primary, fast, transformer.Value, min, max);
    }

    private static RegisterField? ReadField(YamlMap map)
    {
        var address = Address(map);
        var typeText = map.String("type", expected: "int16, uint16, int32, uint32, int64, uint64, float32 or float64");
        RegisterType? type = typeText is not null && Enum.TryParse<RegisterType>(typeText, ignoreCase: true, out var t) ? t : null;
        if (typeText is not null && type is null)
        {
            map.Error("type", $"\"{typeText}\"", "int16, uint16, int32, uint32, int64, uint64, float32 or float64");
        }

        var orderText = map.String("order", required: false, expected: "ABCD, CDAB, BADC or DCBA") ?? "ABCD";
        WordOrder? order = Enum.TryParse<WordOrder>(orderText, out var o) ? o : null;
        if (order is null)
        {
            map.Error("order", $"\"{orderText}\"", "ABCD, CDAB, BADC or DCBA");
        }

        var scale = map.Number("scale", false, v => v != 0, "a non-zero number") ?? 1;
        return address is null || type is null || order is null ? null : new RegisterField(address.Value, type.Value, order.Value, scale);
    }

    /// <summary>Addresses as the wire carries them (0-based), decimal or 0x-hex as manuals print them.</summary>
    private static ushort? Address(YamlMap map)
    {
        const string expected = "a 0-based register address from 0 to 65535, decimal or hex (0x401E)";
        var text = map.String("address", expected: expected);
        if (text is null)
        {
            return null;
        }

        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ushort.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
            : ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok)
        {
            map.Error("address", $"\"{text}\"", expected);
            return null;
        }

        return value;
    }

    internal static bool? Bool(YamlMap map, string key)
    {
        var text = map.String(key, required: false, expected: "true or false");
        return text switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => Fail(),
        };

        bool? Fail()
        {
            map.Error(key, $"\"{text}\"", "true or false");
            return null;
        }
    }

    internal static TransformerScaling? Transformer(YamlMap map, bool primary) => map.String("transformer", required: false, expected: "none, ct, pt or both") switch
    {
        null => primary ? TransformerScaling.Both : TransformerScaling.None,
        "none" => TransformerScaling.None,
        "ct" => TransformerScaling.Ct,
        "pt" => TransformerScaling.Pt,
        "both" => TransformerScaling.Both,
        var other => Invalid(map, "transformer", other),
    };

    private static TransformerScaling? Invalid(YamlMap map, string key, string found)
    {
        map.Error(key, $"\"{found}\"", "none, ct, pt or both");
        return null;
    }
}
