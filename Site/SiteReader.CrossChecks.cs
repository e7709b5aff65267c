using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Site;

public static partial class SiteConfigLoader
{
    /// <summary>Checks across the whole file once it is read: meter references (parents, formulas) and cycles.</summary>
    private sealed partial class SiteReader
    {
        private void CheckMeterReferences()
        {
            var byId = _meters.ToDictionary(m => m.Meter.Id);
            var gatewayIds = _declaredGateways;
            foreach (var (meter, map) in _meters)
            {
                if (meter.Source is IPolledSource polled && !gatewayIds.Contains(polled.Gateway))
                {
                    var key = SourceKey(meter.Source);
                    errors.Add(FindNode(map, key, "gateway"), $"{map.Field(key)}.gateway", $"\"{polled.Gateway}\"",
                        gatewayIds.Count == 0 ? "a gateway id, but the gateways list is empty" : $"one of the gateways: {string.Join(", ", gatewayIds.Order(StringComparer.Ordinal))}");
                }

                if (meter.Parent is not { } parentId)
                {
                    continue;
                }

                if (!_declaredMeters.Contains(parentId.Value))
                {
                    map.Error("parent", $"\"{parentId}\"", "the id of a meter defined in this site");
                }
                else if (byId.TryGetValue(parentId, out var parent) && parent.Meter.Kind != meter.Kind)
                {
                    map.Error("parent", $"\"{parentId}\" ({EnergyKinds.ConfigName(parent.Meter.Kind)})", $"a parent meter of the same kind ({EnergyKinds.ConfigName(meter.Kind)})");
                }
            }

            ReportCycles(byId);
            CheckLines();
            foreach (var (formula, map) in _formulas)
            {
                foreach (var term in formula.Terms.Where(t => !byId.ContainsKey(t.Meter)))
                {
                    map.Error("formula", $"\"{formula.Text}\" names \"{term.Meter}\"", "ids of physical meters defined in this site");
                }
            }
        }

        private static string SourceKey(MeterSource source) => source switch
        {
            Dlt645Source => "dlt645",
            Cjt188Source => "cjt188",
            _ => "modbus",
        };

        /// <summary>
        /// One line, one family: Modbus RTU finds its frames by the silence between them, DL/T 645 and CJ/T 188 by
        /// their start bytes, and they run at different settings (9600 8N1, 2400 8E1) that a gateway port has one of
        /// (docs/DOMAIN.md). Each address is one meter on its line; two meters answering one request garble both.
        /// </summary>
        private void CheckLines()
        {
            foreach (var line in _meters.Where(m => m.Meter.Source is IPolledSource).GroupBy(m => ((IPolledSource)m.Meter.Source).Gateway))
            {
                var modbus = line.Where(m => m.Meter.Source is ModbusSource).ToList();
                var others = line.Where(m => m.Meter.Source is not ModbusSource).ToList();
                if (modbus.Count > 0 && others.Count > 0)
                {
                    var (meter, map) = others[0];
                    var key = SourceKey(meter.Source);
                    errors.Add(FindNode(map, key, "gateway"), $"{map.Field(key)}.gateway", $"\"{line.Key}\", which also carries Modbus meters ({string.Join(", ", modbus.Select(m => m.Meter.Id).Take(3))})",
                        "a line of its own for DL/T 645 and CJ/T 188 meters: a line carries Modbus or the DL/T 645/CJ/T 188 family, not both");
                }

                foreach (var same in line.GroupBy(m => m.Meter.Source switch
                {
                    ModbusSource s => "unit " + s.UnitId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Dlt645Source s => "address " + s.Address,
                    Cjt188Source s => "address " + s.Address,
                    _ => "",
                }).Where(g => g.Count() > 1))
                {
                    var (meter, map) = same.Skip(1).First();
                    var key = SourceKey(meter.Source);
                    var field = meter.Source is ModbusSource ? "unit" : "address";
                    errors.Add(FindNode(map, key, field), $"{map.Field(key)}.{field}", $"{same.Key} on line {line.Key}, also meter {same.First().Meter.Id}'s",
                        "one meter per address on a line: two meters answering one request garble each other");
                }
            }
        }

        private void ReportCycles(Dictionary<MeterId, (Meter Meter, YamlMap Map)> byId)
        {
            var reported = new HashSet<MeterId>();
            foreach (var (meter, map) in _meters)
            {
                var path = new List<MeterId>();
                var onPath = new HashSet<MeterId>();
                for (MeterId? current = meter.Id; current is { } c && byId.TryGetValue(c, out var node); current = node.Meter.Parent)
                {
                    if (!onPath.Add(c))
                    {
                        var cycle = path.SkipWhile(p => p != c).ToList();
                        if (cycle.Any(reported.Contains))
                        {
                            break;
                        }

                        reported.UnionWith(cycle);
                        var first = byId[cycle[0]];
                        first.Map.Error("parent", $"a cycle {string.Join(" → ", cycle.Append(c))}", "a meter tree without cycles: a meter cannot feed itself");
                        break;
                    }

                    path.Add(c);
                }
            }
        }
    }
}
