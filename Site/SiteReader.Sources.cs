using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Site;

public static partial class SiteConfigLoader
{
    /// <summary>Where a meter's readings come from: a Modbus gateway and template, an MQTT topic, or by hand.</summary>
    private sealed partial class SiteReader
    {
        private MeterSource? ReadSource(YamlMap map, EnergyKind? kind)
        {
            var hasModbus = map.Has("modbus");
            var hasMqtt = map.Has("mqtt");
            if (hasModbus && hasMqtt)
            {
                map.Error("mqtt", "both modbus and mqtt", "one source per meter: modbus, mqtt, or neither for a manually read meter");
                return null;
            }

            if (hasModbus)
            {
                if (map.Map("modbus") is not { } m)
                {
                    return null;
                }

                var gateway = m.String("gateway", expected: "the id of a gateway in the gateways list");
                var unit = m.Integer("unit", true, 1, 247, "a Modbus unit id from 1 to 247");
                var template = m.String("template", expected: "the name of a register template under config/templates/");
                if (template is not null && !IdPattern().IsMatch(template))
                {
                    m.Error("template", $"\"{template}\"", "a template name of letters, digits and '-', e.g. acrel-adl3000e");
                    template = null;
                }
                else if (template is not null && templateUnits is not null)
                {
                    if (!templateUnits.TryGetValue(template, out var counting))
                    {
                        m.Error("template", $"\"{template}\"", templateUnits.Count == 0
                            ? "a template in the templates/ folder beside the site file, but that folder has no templates"
                            : $"a template in the templates/ folder beside the site file: {string.Join(", ", templateUnits.Keys.Order(StringComparer.Ordinal))}");
                        template = null;
                    }
                    else if (kind is { } k && counting.Dimension != EnergyKinds.CanonicalUnit(k).Dimension)
                    {
                        m.Error("template", $"\"{template}\", which counts {counting.Symbol}", $"a template that counts what a {EnergyKinds.ConfigName(k)} meter measures");
                        template = null;
                    }
                }

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
    }
}
