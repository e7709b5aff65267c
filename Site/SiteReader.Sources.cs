using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Site;

public static partial class SiteConfigLoader
{
    /// <summary>Where a meter's readings come from: a Modbus gateway and template, an MQTT topic, or by hand.</summary>
    private sealed partial class SiteReader
    {
        private static readonly string[] SourceKeys = ["modbus", "dlt645", "cjt188", "mqtt"];

        private MeterSource? ReadSource(YamlMap map, EnergyKind? kind)
        {
            var given = SourceKeys.Where(map.Has).ToList();
            if (given.Count > 1)
            {
                map.Error(given[1], $"both {given[0]} and {given[1]}", "one source per meter: modbus, dlt645, cjt188, mqtt, or none for a manually read meter");
                return null;
            }

            var hasModbus = map.Has("modbus");
            var hasMqtt = map.Has("mqtt");
            if (map.Has("dlt645"))
            {
                return ReadDlt645(map, kind);
            }

            if (map.Has("cjt188"))
            {
                return ReadCjt188(map, kind);
            }

            if (hasModbus)
            {
                if (map.Map("modbus") is not { } m)
                {
                    return null;
                }

                var gateway = m.String("gateway", expected: "the id of a gateway in the gateways list");
                var unit = m.Integer("unit", true, 1, 247, "a Modbus unit id from 1 to 247");
                var template = Template(m, kind, MeterProtocol.Modbus);
                var fast = m.Integer("fastIntervalSeconds", false, 1, 3600, "seconds between reads of the template's fast points (power, voltage), 1 to 3600");
                m.Finish();
                return gateway is null || unit is null || template is null
                    ? null
                    : new ModbusSource(gateway, (byte)unit.Value, template, fast is { } f ? TimeSpan.FromSeconds(f) : null);
            }

            if (hasMqtt)
            {
                if (map.Map("mqtt") is not { } q)
                {
                    return null;
                }

                var topic = q.String("topic", expected: "the MQTT topic the meter publishes on");
                if (topic is not null && (topic.Length == 0 || topic.IndexOfAny(['#', '+', '{', '}']) >= 0))
                {
                    q.Error("topic", $"\"{topic}\"", "a concrete topic without wildcards; wildcard mappings belong in the MQTT settings");
                    topic = null;
                }

                var field = q.String("field", required: false, expected: "a JSON path into the payload, e.g. $.total");
                var timestamp = q.String("timestamp", required: false, expected: "a JSON path to the device's timestamp, e.g. $.ts");
                q.Finish();
                return topic is null ? null : new MqttSource(topic, field, timestamp);
            }

            return new ManualSource();
        }

        private Dlt645Source? ReadDlt645(YamlMap map, EnergyKind? kind)
        {
            if (map.Map("dlt645") is not { } m)
            {
                return null;
            }

            var gateway = m.String("gateway", expected: "the id of a gateway in the gateways list");
            var address = Address(m, 12, "the meter's 12-digit DL/T 645 address as on its nameplate, e.g. \"000000000161\" (quoted, so that leading zeros stay)");
            var editionText = m.String("edition", required: false, expected: "2007 or 1997") ?? "2007";
            Dlt645Edition? edition = editionText switch
            {
                "2007" => Dlt645Edition.V2007,
                "1997" => Dlt645Edition.V1997,
                _ => Invalid<Dlt645Edition>(m, "edition", editionText, "2007 or 1997 (the edition of DL/T 645 the meter speaks)"),
            };
            var template = Template(m, kind, MeterProtocol.Dlt645);
            if (template is not null && edition is { } e && templateUnits?.GetValueOrDefault(template)?.Edition is { } templateEdition && templateEdition != e)
            {
                m.Error("template", $"\"{template}\", whose data identifiers are DL/T 645-{(templateEdition == Dlt645Edition.V2007 ? "2007" : "1997")}",
                    $"a template of DL/T 645-{editionText}, the edition this meter speaks");
                template = null;
            }

            var fast = m.Integer("fastIntervalSeconds", false, 1, 3600, "seconds between reads of the template's fast points (power, voltage), 1 to 3600");
            m.Finish();
            return gateway is null || address is null || template is null || edition is null
                ? null
                : new Dlt645Source(gateway, address, template, edition.Value, fast is { } f ? TimeSpan.FromSeconds(f) : null);
        }

        private Cjt188Source? ReadCjt188(YamlMap map, EnergyKind? kind)
        {
            if (map.Map("cjt188") is not { } m)
            {
                return null;
            }

            var gateway = m.String("gateway", expected: "the id of a gateway in the gateways list");
            var address = Address(m, 14, "the meter's 14-digit CJ/T 188 address as on its nameplate, e.g. \"00000000001234\" (quoted)");
            var template = Template(m, kind, MeterProtocol.Cjt188);
            m.Finish();
            byte? type = template is null ? null : templateUnits?.GetValueOrDefault(template)?.Cjt188Type ?? 0;
            return gateway is null || address is null || template is null || type is null
                ? null
                : new Cjt188Source(gateway, address, template, type.Value);
        }

        private static string? Address(YamlMap m, int digits, string expected)
        {
            var address = m.String("address", expected: expected);
            if (address is not null && (address.Length != digits || !address.All(char.IsAsciiDigit)))
            {
                m.Error("address", $"\"{address}\"", expected);
                return null;
            }

            return address;
        }

        /// <summary>The template a polled meter names: it must exist, speak the meter's protocol and count what the meter's kind measures.</summary>
        private string? Template(YamlMap m, EnergyKind? kind, MeterProtocol protocol)
        {
            var template = m.String("template", expected: "the name of a template under config/templates/");
            if (template is not null && !IdPattern().IsMatch(template))
            {
                m.Error("template", $"\"{template}\"", "a template name of letters, digits and '-', e.g. acrel-adl3000e");
                return null;
            }

            if (template is null || templateUnits is null)
            {
                return template;
            }

            var ofProtocol = templateUnits.Where(t => t.Value.Protocol == protocol).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
            if (!templateUnits.TryGetValue(template, out var facts))
            {
                m.Error("template", $"\"{template}\"", templateUnits.Count == 0
                    ? "a template in the templates/ folder beside the site file, but that folder has no templates"
                    : ofProtocol.Count == 0
                    ? $"a {ProtocolName(protocol)} template in the templates/ folder beside the site file, but that folder has none"
                    : $"a {ProtocolName(protocol)} template in the templates/ folder beside the site file: {string.Join(", ", ofProtocol)}");
                return null;
            }

            if (facts.Protocol != protocol)
            {
                m.Error("template", $"\"{template}\", a {ProtocolName(facts.Protocol)} template", $"a {ProtocolName(protocol)} template: {(ofProtocol.Count == 0 ? "none in the folder" : string.Join(", ", ofProtocol))}");
                return null;
            }

            if (kind is { } k && facts.CountingUnit.Dimension != EnergyKinds.CanonicalUnit(k).Dimension)
            {
                m.Error("template", $"\"{template}\", which counts {facts.CountingUnit.Symbol}", $"a template that counts what a {EnergyKinds.ConfigName(k)} meter measures");
                return null;
            }

            return template;
        }

        private static string ProtocolName(MeterProtocol protocol) => protocol switch
        {
            MeterProtocol.Modbus => "Modbus",
            MeterProtocol.Dlt645 => "DL/T 645",
            _ => "CJ/T 188",
        };
    }
}
