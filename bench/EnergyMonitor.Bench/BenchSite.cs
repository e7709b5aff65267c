using System.Globalization;
using System.Text;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;

namespace EnergyMonitor.Bench;

/// <summary>The benchmarks' site: one institution, its buildings each with electricity meters m0000, m0001 …</summary>
internal static class BenchSite
{
    /// <param name="meters">How many meters, spread round-robin over <paramref name="buildings"/> buildings.</param>
    public static SiteModel Create(int meters, int buildings)
    {
        var yaml = new StringBuilder("""
            name: Bench
            region: { code: "320117", name: 溧水区 }
            institutions:
              - id: inst
                name: 机关
                creditCode: 11320117MB0123456D
                nature: "01"
                buildings:

            """);
        for (var b = 0; b < buildings; b++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      - {{ id: b{b}, code: 320117A{b + 1:D3}, name: b{b}, floorArea: 10000, climateZone: hot-summer-cold-winter, meters: [\n");
            for (var m = b; m < meters; m += buildings)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"          {{ id: m{m:D4}, name: m{m:D4}, kind: electricity }},\n");
            }

            yaml.Append("        ] }\n");
        }

        var result = SiteConfigLoader.LoadText(yaml.ToString(), "bench.yaml", DateTimeOffset.UtcNow);
        return result.IsValid ? result.Require() : throw new InvalidOperationException(string.Join("\n", result.Errors));
    }
}
