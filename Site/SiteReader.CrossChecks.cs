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
                if (meter.Source is ModbusSource modbus && !gatewayIds.Contains(modbus.Gateway))
                {
                    errors.Add(FindNode(map, "modbus", "gateway"), $"{map.Field("modbus")}.gateway", $"\"{modbus.Gateway}\"",
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
            foreach (var (formula, map) in _formulas)
            {
                foreach (var term in formula.Terms.Where(t => !byId.ContainsKey(t.Meter)))
                {
                    map.Error("formula", $"\"{formula.Text}\" names \"{term.Meter}\"", "ids of physical meters defined in this site");
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
