namespace EnergyMonitor.Site.Tests;

/// <summary>A small valid site, and helpers to break it one way at a time.</summary>
internal static class SiteYaml
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    // Line numbers matter: tests assert them. Line 1 is "name:".
    public const string Valid = """
        name: Test county
        region:
          code: "320117"
          name: 溧水区
          timeZone: Asia/Shanghai
        gateways:
          - id: gw1
            transport: tcp
            host: 10.0.0.5
            port: 502
        institutions:
          - id: inst-a
            name: 机关事务中心
            creditCode: 11320117MB0123456D
            nature: "01"
            facts:
              - { year: 2020, floorArea: 10000, occupants: 300, staffEstablishment: 280 }
              - { year: 2025, floorArea: 10000, occupants: 290 }
            targets: { baseYear: 2020, targetYear: 2025 }
            buildings:
              - id: b1
                code: 320117A001
                name: 主楼
                floorArea: 8000
                climateZone: hot-summer-cold-winter
                class: B
                meters:
                  - id: total
                    name: 总表
                    kind: electricity
                    item: "01000"
                    multiplier: { ct: 200/5 }
                    modbus: { gateway: gw1, unit: 1, template: acrel-adl3000e }
                  - id: light
                    name: 照明
                    kind: electricity
                    item: 01A00
                    parent: total
                    modbus: { gateway: gw1, unit: 2, template: acrel-adl3000e }
                  - id: water
                    name: 水表
                    kind: water
                    unit: m3
                    mqtt: { topic: site/b1/water, field: $.total }
                  - id: hw
                    name: 热量表
                    kind: heat
                    unit: MWh
                    replacements:
                      - { at: "2024-03-01T10:00:00+08:00", oldFinalReading: 812.5, newInitialReading: 0 }
          - id: inst-b
            name: 第二中学
            creditCode: 12320117MB0234567M
            nature: "021"
            buildings:
              - id: b2
                code: 320117D001
                name: 教学楼
                floorArea: 5000
                climateZone: hot-summer-cold-winter
                meters:
                  - id: school-total
                    name: 学校总表
                    kind: electricity
        """;

    /// <summary>Replaces the one occurrence of <paramref name="find"/>; fails loudly if the base changed.</summary>
    public static string With(string find, string replace)
    {
        var index = Valid.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0 && Valid.IndexOf(find, index + 1, StringComparison.Ordinal) < 0, $"'{find}' must occur exactly once in the base site");
        return string.Concat(Valid.AsSpan(0, index), replace, Valid.AsSpan(index + find.Length));
    }

    public static int LineOf(string yaml, string text)
    {
        var index = yaml.IndexOf(text, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{text}' not in the YAML");
        return yaml.AsSpan(0, index).Count('\n') + 1;
    }
}
