using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Modbus;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Acquisition.Tests.Polling;

public sealed class TemplateLoaderTests
{
    private static string TemplatesDir => Path.Combine(Repository.Root(), "config", "templates");

    [Fact]
    public void Every_shipped_template_loads_cites_its_manual_and_has_one_primary_counter()
    {
        var (templates, errors) = TemplateLoader.LoadDirectory(TemplatesDir);

        Assert.Empty(errors);
        Assert.True(templates.Count >= 4);
        Assert.All(templates.Values, t =>
        {
            Assert.True(t.Source.Length > 80 && (t.Source.Contains('§', StringComparison.Ordinal) || t.Source.Contains("table", StringComparison.Ordinal)), t.Name);
            Assert.NotNull(t.Primary);
        });
        Assert.Contains(templates.Values, t => t.CountingUnit.Symbol == "m3");
        Assert.True(templates.Values.Count(t => t.CountingUnit.Symbol == "kWh") >= 3);
    }

    [Fact]
    public void The_sdm630_reads_total_kwh_from_input_register_0x0156_as_its_manual_says()
    {
        var sdm = TemplateLoader.LoadDirectory(TemplatesDir).Templates["eastron-sdm630"];

        var total = sdm.Points.Single(p => p.Name == "energy_total");

        Assert.Equal(ModbusFunction.ReadInputRegisters, total.Function);
        Assert.Equal(0x0156, total.Address);
        Assert.Equal(RegisterType.Float32, total.Fields[0].Type);
        Assert.Equal(60, sdm.MaxRegistersPerRequest);
    }

    [Theory]
    [InlineData("type: float32", "type: float33", "points[0].type")]
    [InlineData("order: ABCD", "order: ABDC", "points[0].order")]
    [InlineData("address: 0x0048", "address: 0x1FFFF", "points[0].address")]
    [InlineData("primary: true", "primary: false", "points")]
    [InlineData("source: manual §5", "sauce: manual §5", "sauce")]
    [InlineData("function: 4", "function: 6", "points[0].function")]
    public void A_broken_template_names_the_field(string find, string replace, string path)
    {
        const string valid = """
            manufacturer: M
            model: X
            source: manual §5
            points:
              - name: energy
                function: 4
                address: 0x0048
                type: float32
                order: ABCD
                unit: kWh
                primary: true
            """;

        var (template, errors) = TemplateLoader.LoadText("x", valid.Replace(find, replace, StringComparison.Ordinal), "x.yaml");

        Assert.Null(template);
        Assert.Contains(errors, e => e.Path == path);
    }
}
