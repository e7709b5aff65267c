using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Site.Tests;

/// <summary>
/// DL/T 645 and CJ/T 188 meters in the site file: each defect is one error at its field path and line, and the lines
/// they share are checked across the whole file (one family per line, one meter per address).
/// </summary>
public sealed class LineSourceTests
{
    private const string M = "institutions[0].buildings[0].meters";

    private static readonly Dictionary<string, TemplateFacts> Templates = new(StringComparer.Ordinal)
    {
        ["dtsu-645"] = new(MeterProtocol.Dlt645, UnitCatalog.Kwh, Dlt645Edition.V2007),
        ["old-645"] = new(MeterProtocol.Dlt645, UnitCatalog.Kwh, Dlt645Edition.V1997),
        ["heat-188"] = new(MeterProtocol.Cjt188, UnitCatalog.Gj, Cjt188Type: 0x20),
        ["acrel"] = new(MeterProtocol.Modbus, UnitCatalog.Kwh),
    };

    private const string Valid = """
        name: Test county
        region: { code: "320117", name: 溧水区, timeZone: Asia/Shanghai }
        gateways:
          - { id: gw1, transport: tcp, host: 10.0.0.5, port: 502 }
          - id: line645
            transport: transparent
            host: 10.0.0.6
            port: 8899
          - id: port645
            transport: serial
            port: /dev/ttyUSB0
            baudRate: 2400
            parity: even
        institutions:
          - id: inst
            name: 机关
            creditCode: 11320117MB0123456D
            nature: "01"
            buildings:
              - id: b1
                code: 320117A001
                name: 主楼
                floorArea: 8000
                climateZone: hot-summer-cold-winter
                meters:
                  - id: total
                    name: 总表
                    kind: electricity
                    item: "01000"
                    modbus: { gateway: gw1, unit: 1, template: acrel }
                  - id: lifts
                    name: 电梯
                    kind: electricity
                    item: 01C10
                    dlt645: { gateway: line645, address: "202312000461", template: dtsu-645 }
                  - id: old
                    name: 老楼
                    kind: electricity
                    item: 01A00
                    dlt645: { gateway: port645, address: "000000000003", edition: "1997", template: old-645 }
                  - id: heat
                    name: 热量表
                    kind: heat
                    unit: GJ
                    cjt188: { gateway: line645, address: "20231100008801", template: heat-188 }
        """;

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // find, replace, expected path, text on the expected line, text the error must contain
        { "address: \"202312000461\"", "address: \"2023120004\"", $"{M}[1].dlt645.address", "2023120004", "12-digit" },
        { "address: \"202312000461\"", "address: \"20231200046X\"", $"{M}[1].dlt645.address", "20231200046X", "12-digit" },
        { "address: \"20231100008801\"", "address: \"202311000088\"", $"{M}[3].cjt188.address", "address: \"202311000088\"", "14-digit" },
        { "edition: \"1997\"", "edition: \"2005\"", $"{M}[2].dlt645.edition", "2005", "2007 or 1997" },
        { "edition: \"1997\", template: old-645", "edition: \"1997\", template: dtsu-645", $"{M}[2].dlt645.template", "edition: \"1997\", template: dtsu-645", "the edition this meter speaks" },
        { "template: dtsu-645", "template: acrel", $"{M}[1].dlt645.template", "address: \"202312000461\", template: acrel", "a DL/T 645 template: dtsu-645, old-645" },
        { "template: heat-188", "template: nosuch", $"{M}[3].cjt188.template", "template: nosuch", "a CJ/T 188 template" },
        { "address: \"20231100008801\", template: heat-188", "address: \"20231100008801\", template: heat-188, baud: 9600", $"{M}[3].cjt188.baud", "baud: 9600", "unknown field" },
        { "gateway: line645, address: \"202312000461\"", "gateway: gw1, address: \"202312000461\"", $"{M}[1].dlt645.gateway", "gateway: gw1, address: \"202312000461\"", "a line of its own" },
        { "address: \"000000000003\"", "address: \"202312000461\"", $"{M}[2].dlt645.address", "edition: \"1997\"", "" },
        { "gateway: port645, address: \"000000000003\"", "gateway: line645, address: \"202312000461\"", $"{M}[2].dlt645.address", "gateway: line645, address: \"202312000461\", edition", "one meter per address" },
        { "parity: even", "parity: mark", "gateways[2].parity", "parity: mark", "none, even or odd" },
        { "port: 8899", "port: 8899\n    baudRate: 4800", "gateways[1].baudRate", "baudRate: 4800", "serial settings only with transport: serial" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_single_defect_is_reported_at_its_field_path_and_line(string find, string replace, string path, string lineText, string mentions)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);

        var result = SiteConfigLoader.LoadText(yaml, "site.yaml", SiteYaml.Now, Templates);

        if (mentions.Length == 0)
        {
            // The same address on two lines is two meters: nothing wrong.
            Assert.True(result.IsValid, string.Join("\n", result.Errors));
            return;
        }

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(SiteYaml.LineOf(yaml, lineText), error.Line);
        Assert.Contains(mentions, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_site_reads_every_source_and_the_serial_line_settings_follow_the_protocol()
    {
        var site = SiteConfigLoader.LoadText(Valid, "site.yaml", SiteYaml.Now, Templates).Require();

        var lifts = Assert.IsType<Dlt645Source>(site.Meters.Single(m => m.Id.Value == "lifts").Source);
        Assert.Equal(("line645", "202312000461", Dlt645Edition.V2007), (lifts.Gateway, lifts.Address, lifts.Edition));
        var old = Assert.IsType<Dlt645Source>(site.Meters.Single(m => m.Id.Value == "old").Source);
        Assert.Equal(Dlt645Edition.V1997, old.Edition);
        var heat = Assert.IsType<Cjt188Source>(site.Meters.Single(m => m.Id.Value == "heat").Source);
        Assert.Equal((byte)0x20, heat.MeterType);

        var port = site.Gateways.Single(g => g.Id == "port645");
        Assert.Equal(GatewayTransport.Serial, port.Transport);
        Assert.Equal("/dev/ttyUSB0", port.Endpoint);
        Assert.Equal(new SerialSettings(2400, SerialParity.Even, 1), port.SerialFor(MeterProtocol.Dlt645));
        Assert.Equal(GatewayTransport.RtuOverTcp, site.Gateways.Single(g => g.Id == "line645").Transport);
    }
}
