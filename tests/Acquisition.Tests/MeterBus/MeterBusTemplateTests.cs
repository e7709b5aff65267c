using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Site;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Acquisition.Tests.MeterBus;

/// <summary>DL/T 645 and CJ/T 188 templates: the shipped ones load and cite their source; each defect is one error at its field.</summary>
public sealed class MeterBusTemplateTests
{
    private static string TemplatesDir => Path.Combine(Repository.Root(), "config", "templates");

    private const string Dlt645 = """
        protocol: dlt645-2007
        manufacturer: 正泰 CHINT
        model: DTSU666
        source: the standard's appendix A
        points:
          - { name: energy, di: "00010000", unit: kWh, primary: true }
          - { name: power, di: "02030000" }
        """;

    private const string Cjt188 = """
        protocol: cjt188
        manufacturer: generic
        model: heat
        source: CJ/T 188-2004
        meterType: heat
        points:
          - { name: heat, field: currentHeat, primary: true }
          - { name: supply, field: supplyTemperature }
        """;

    [Fact]
    public void The_shipped_templates_have_two_dlt645_models_a_1997_meter_and_cjt188_heat_and_water_meters()
    {
        var (set, errors) = TemplateLoader.LoadAll(TemplatesDir);

        Assert.Empty(errors);
        Assert.True(set.Dlt645.Values.Count(t => t.Edition == Dlt645Edition.V2007) >= 2);
        Assert.Contains(set.Dlt645.Values, t => t.Edition == Dlt645Edition.V1997);
        Assert.Contains(set.Cjt188.Values, t => t.MeterType == Cjt188MeterType.Heat && t.Primary.Field == Cjt188Field.CurrentHeat && t.CountingUnit.Symbol == "GJ");
        Assert.Contains(set.Cjt188.Values, t => t.MeterType == Cjt188MeterType.ColdWater && t.CountingUnit.Symbol == "m3");
        Assert.All(set.Dlt645.Values.Cast<object>().Concat(set.Cjt188.Values), t =>
        {
            var source = t is Dlt645Template d ? d.Source : ((Cjt188Template)t).Source;
            Assert.True(source.Length > 80 && (source.Contains("generic", StringComparison.Ordinal) || source.Contains("说明书", StringComparison.Ordinal)), source);
        });
        Assert.Equal(MeterProtocol.Dlt645, set.Facts()["chint-dtsu666-dlt645"].Protocol);
    }

    [Fact]
    public void An_identifier_of_the_table_takes_its_picture_and_unit_from_it()
    {
        var (template, errors) = TemplateLoader.LoadAny("t", Dlt645, "t.yaml");

        Assert.Empty(errors);
        var power = Assert.IsType<Dlt645Template>(template).Points.Single(p => p.Name == "power");
        Assert.Equal(new BcdFormat(3, 4, Signed: true), power.Format);
        Assert.Equal("kW", power.Unit);
    }

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // template, find, replace, expected path, text the error must contain
        { Dlt645, "di: \"02030000\"", "di: \"02800022\"", "points[1].di", "not in the driver's table" },
        { Dlt645, "di: \"02030000\"", "di: \"9010\"", "points[1].di", "8 hex digits" },
        { Dlt645, "di: \"02030000\" }", "di: \"02800022\", format: XX.XXX }", "points[1].format", "even number of X" },
        { Dlt645, "protocol: dlt645-2007", "protocol: dlt645-2009", "protocol", "dlt645-2007, dlt645-1997 or cjt188" },
        { Dlt645, "unit: kWh, primary: true", "unit: V, primary: true", "points[0].unit", "counting unit" },
        { Dlt645, "di: \"02030000\"", "di: \"00010000\"", "points", "each identifier once" },
        { Cjt188, "meterType: heat", "meterType: steam", "meterType", "cold-water" },
        { Cjt188, "field: supplyTemperature", "field: currentFlow", "points[1].field", "settlementHeat" },
        { Cjt188, "meterType: heat", "meterType: heat\nformats: { flowRate: XX.XX }", "formats.flowRate", "the field's width is fixed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_single_defect_is_one_error_at_its_field(string yaml, string find, string replace, string path, string mentions)
    {
        Assert.Contains(find, yaml, StringComparison.Ordinal);

        var (template, errors) = TemplateLoader.LoadAny("t", yaml.Replace(find, replace, StringComparison.Ordinal), "t.yaml");

        Assert.Null(template);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(mentions, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_heat_meter_may_read_its_flow_rate_with_the_decimals_its_maker_uses()
    {
        var (template, errors) = TemplateLoader.LoadAny("t", Cjt188.Replace("meterType: heat", "meterType: heat\nformats: { flowRate: XXXX.XXXX }", StringComparison.Ordinal), "t.yaml");

        Assert.Empty(errors);
        var layout = Assert.IsType<Cjt188Template>(template).Layout;
        Assert.Equal(new BcdFormat(4, 4), layout.Fields.Single(f => f.Field == Cjt188Field.FlowRate).Format);
        Assert.Equal(Cjt188Layout.Heat.Length, layout.Length);
    }
}
