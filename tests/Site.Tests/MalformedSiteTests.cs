namespace EnergyMonitor.Site.Tests;

/// <summary>Each case breaks the valid base site one way and asserts the one error's exact field path and line.</summary>
public sealed class MalformedSiteTests
{
    private const string M0 = "institutions[0].buildings[0].meters[0]";
    private const string M1 = "institutions[0].buildings[0].meters[1]";
    private const string M2 = "institutions[0].buildings[0].meters[2]";
    private const string M3 = "institutions[0].buildings[0].meters[3]";
    private const string Indent = "\n            ";

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // find, replace, expected path, text on the expected line, text the error must contain
        { "name: Test county", "name: Test county\nowner: me", "owner", "owner:", "unknown field \"owner\"" },
        { "multiplier: { ct: 200/5 }", "multipler: { ct: 200/5 }", $"{M0}.multipler", "multipler", "did you mean \"multiplier\"" },
        { "floorArea: 8000", "floorArea: lots", "institutions[0].buildings[0].floorArea", "floorArea: lots", "\"lots\"" },
        { "floorArea: 8000", "floorArea: \"8000\"", "institutions[0].buildings[0].floorArea", "floorArea: \"8000\"", "quoted text" },
        { "floorArea: 5000", "floorArea: -5000", "institutions[1].buildings[0].floorArea", "floorArea: -5000", "greater than 0" },
        { "ct: 200/5", "ct: -2", $"{M0}.multiplier.ct", "ct: -2", "transformer ratio" },
        { "id: water", "id: light", $"{M2}.id", "id: light\n            name: 水表", $"already used at {M1}.id" },
        { "code: 320117D001", "code: 320117A001", "institutions[1].buildings[0].code", "code: 320117A001\n        name: 教学楼", "already used at institutions[0].buildings[0].code" },
        { "parent: total", "parent: totl", $"{M1}.parent", "parent: totl", "a meter defined in this site" },
        { "item: \"01000\"", $"item: \"01000\"{Indent}parent: light", $"{M0}.parent", "parent: light\n", "cycle total → light → total" },
        { "parent: total", "parent: light", $"{M1}.parent", "parent: light", "cycle light → light" },
        { "item: 01A00", "item: 01A99", $"{M1}.item", "item: 01A99", "\"01A99\"" },
        { "item: 01A00", "item: \"02000\"", $"{M1}.item", "item: \"02000\"", "a code of kind electricity" },
        { "unit: m3", "unit: kWh", $"{M2}.unit", "unit: kWh", "a unit of volume" },
        { "unit: MWh", "unit: BTU", $"{M3}.unit", "unit: BTU", "\"BTU\"" },
        { "2024-03-01T10:00:00+08:00", "2024-02-30T10:00:00+08:00", $"{M3}.replacements[0].at", "2024-02-30", "exists" },
        { "2024-03-01T10:00:00+08:00", "2027-01-01T00:00:00+08:00", $"{M3}.replacements[0].at", "2027-01-01", "not in the future" },
        { "gateway: gw1, unit: 1,", "gateway: gw9, unit: 1,", $"{M0}.modbus.gateway", "gw9", "one of the gateways: gw1" },
        { "unit: 2, template", "unit: 248, template", $"{M1}.modbus.unit", "unit: 248", "1 to 247" },
        { "11320117MB0123456D", "11320117MB0123456E", "institutions[0].creditCode", "11320117MB0123456E", "should be 'D'" },
        { "nature: \"021\"", "nature: \"027\"", "institutions[1].nature", "nature: \"027\"", "单位性质" },
        { "code: \"320117\"", "code: \"32011\"", "region.code", "code: \"32011\"", "6-digit" },
        { "Asia/Shanghai", "Asia/Beijing", "region.timeZone", "Asia/Beijing", "IANA" },
        { "code: 320117D001", "code: 110101D001", "institutions[1].buildings[0].code", "110101D001", "inside the site's region 320117" },
        { "year: 2025, floorArea: 10000, occupants: 290", "year: 2020, floorArea: 10000, occupants: 290", "institutions[0].facts[1].year", "year: 2020, floorArea: 10000, occupants: 290", "each year at most once" },
        { "year: 2025, floorArea", "year: 2031, floorArea", "institutions[0].facts[1].year", "year: 2031", "2000 to 2026" },
        { "host: 10.0.0.5", "host: 10.0.0.5\n    password: hunter2", "gateways[0].password", "password:", "passwordEnv" },
        { "kind: heat", $"kind: heat{Indent}intervalMinutes: 7", $"{M3}.intervalMinutes", "intervalMinutes: 7", "divides a day" },
        { "targets: { baseYear: 2020, targetYear: 2025 }", "targets: 2025", "institutions[0].targets", "targets: 2025", "a mapping of fields" },
        { "targetYear: 2025 }", "targetYear: 2019 }", "institutions[0].targets.targetYear", "targetYear: 2019", "after the base year 2020" },
        { "name: 教学楼", "", "institutions[1].buildings[0].name", "id: b2", "missing" },
        { "transport: tcp", "transport: udp", "gateways[0].transport", "transport: udp", "transparent" },
        { "mqtt: { topic: site/b1/water", $"modbus: {{ gateway: gw1, unit: 9, template: x }}{Indent}mqtt: {{ topic: site/b1/water", $"{M2}.mqtt", "mqtt: { topic: site/b1/water", "one source per meter" },
        { "kind: heat", "kind: plutonium", $"{M3}.kind", "kind: plutonium", "natural-gas" },
        { "kind: water", $"kind: water{Indent}mode: sometimes", $"{M2}.mode", "mode: sometimes", "cumulative" },
        { "topic: site/b1/water", "topic: site/+/water", $"{M2}.mqtt.topic", "site/+/water", "without wildcards" },
        { "name: Test county", "name: [Test county", "(syntax)", "name: [Test county", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_single_defect_is_reported_at_its_field_path_and_line(string find, string replace, string path, string lineText, string mentions)
    {
        var yaml = SiteYaml.With(find, replace);

        var result = SiteConfigLoader.LoadText(yaml, "site.yaml", SiteYaml.Now);

        Assert.Null(result.Site);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(SiteYaml.LineOf(yaml, lineText), error.Line);
        Assert.Equal("site.yaml", error.File);
        Assert.Contains(mentions, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_reported_in_one_load_not_only_the_first()
    {
        var yaml = SiteYaml.Valid
            .Replace("floorArea: 8000", "floorArea: -1", StringComparison.Ordinal)
            .Replace("parent: total", "parent: nowhere", StringComparison.Ordinal)
            .Replace("transport: tcp", "transport: carrier-pigeon", StringComparison.Ordinal);

        var result = SiteConfigLoader.LoadText(yaml, "site.yaml", SiteYaml.Now);

        Assert.Equal(
            ["gateways[0].transport", "institutions[0].buildings[0].floorArea", $"{M1}.parent"],
            result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_error_text_names_file_line_path_found_and_expected()
    {
        var yaml = SiteYaml.With("ct: 200/5", "ct: -2");

        var error = Assert.Single(SiteConfigLoader.LoadText(yaml, "config/site.yaml", SiteYaml.Now).Errors);

        Assert.Matches(@"^config/site\.yaml:\d+:\d+: institutions\[0\]\.buildings\[0\]\.meters\[0\]\.multiplier\.ct: found ""-2""; expected a transformer ratio", error.ToString());
    }
}
