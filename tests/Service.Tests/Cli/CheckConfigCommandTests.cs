using EnergyMonitor.Service.Cli;
using EnergyMonitor.Site.Tests;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Service.Tests.Cli;

public sealed class CheckConfigCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-cli-").FullName;

    public CheckConfigCommandTests()
    {
        CliRunner.CopyTemplates(_dir);
    }


    [Fact]
    public void A_valid_site_file_exits_0_and_summarises_the_site()
    {
        var site = Write("site.yaml", SiteYaml.Valid);

        var (exit, output, error) = CliRunner.Run("check-config", site, "--settings", Path.Combine(_dir, "absent.json"));

        Assert.Equal(0, exit);
        Assert.Contains("2 institutions, 2 buildings, 5 meters", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void A_site_file_saved_as_GBK_is_refused_naming_the_line_of_its_first_byte_that_is_not_UTF_8()
    {
        // 主楼 in GBK is D6 F7 C2 A5: read as UTF-8 it became U+FFFD and the building was named "��".
        var site = Path.Combine(_dir, "site.yaml");
        var text = SiteYaml.Valid.Replace("name: 主楼", "name: @@", StringComparison.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text).ToList();
        var at = bytes.IndexOf((byte)'@');
        bytes.RemoveRange(at, 2);
        bytes.InsertRange(at, [0xD6, 0xF7, 0xC2, 0xA5]);
        File.WriteAllBytes(site, [.. bytes]);
        var line = text[..text.IndexOf("name: @@", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var (exit, _, error) = CliRunner.Run("check-config", site, "--settings", Path.Combine(_dir, "absent.json"));

        Assert.Equal(2, exit);
        Assert.Contains($"site.yaml:{line}:0: (file): found a byte that is not UTF-8 (0xD6)", error);
    }

    [Fact]
    public void A_broken_site_file_exits_2_and_names_the_field_path_on_stderr()
    {
        var site = Write("site.yaml", SiteYaml.With("ct: 200/5", "ct: zero"));

        var (exit, output, error) = CliRunner.Run("check-config", site, "--settings", Path.Combine(_dir, "absent.json"));

        Assert.Equal(2, exit);
        Assert.Contains("institutions[0].buildings[0].meters[0].multiplier.ct: found \"zero\"", error);
        Assert.DoesNotContain("valid:", output);
    }

    [Fact]
    public void A_coefficient_set_naming_an_unknown_kind_is_a_config_error_with_its_path()
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", """
            { "EnergyMonitor": { "SiteFile": "site.yaml", "CoefficientSets": [
              { "Id": "JS-2024", "Region": "32", "FromYear": 2024, "Kgce": { "electricty": 0.31 }, "Source": "苏发改能源〔2024〕x号" } ] } }
            """);

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains("EnergyMonitor:CoefficientSets[0]:Kgce", error);
        Assert.Contains("electricty", error);
    }

    [Fact]
    public void A_configured_provincial_set_is_chosen_for_its_region_and_keeps_the_built_in_factors_it_does_not_give()
    {
        var catalog = EnergyMonitor.Service.Settings.CoefficientSettings.Build(
            [new() { Id = "JS-2024", Region = "32", FromYear = 2024, ElectricityBasis = "EquivalentInput", ElectricityEquivalentInput = 0.31, Co2 = { ["electricity"] = 0.5 }, Source = "provincial notice" }]);

        var set = catalog.For(2025, "320117");

        Assert.Equal("JS-2024", set.Id);
        Assert.Equal(0.31, set.Kgce(EnergyMonitor.Core.Domain.EnergyKind.Electricity)!.PerUnit);
        Assert.Equal("provincial notice", set.Co2PerUnit[EnergyMonitor.Core.Domain.EnergyKind.Electricity].Source);
        Assert.Equal(1.2143, set.Kgce(EnergyMonitor.Core.Domain.EnergyKind.NaturalGas)!.PerUnit); // from CN-2023
        Assert.Equal("CN-2023", catalog.For(2025, "340104").Id);
    }

    [Fact]
    public void A_cron_expression_Quartz_cannot_read_is_a_config_error_with_its_path()
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Schedule": { "RollupCron": "*/15 * * * *" } } }""");

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains("EnergyMonitor:Schedule:RollupCron: found \"*/15 * * * *\"", error);
        Assert.Contains("a Quartz cron expression with seconds", error);
    }

    [Fact]
    public void Settings_errors_name_the_settings_file_and_the_key_path()
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "x.db", "BusyTimeoutSeconds": 0 } } } }""");

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains("appsettings.json", error);
        Assert.Contains("EnergyMonitor:Storage:Sqlite:BusyTimeoutSeconds: found \"0\"", error);
    }

    [Fact]
    public void An_influx_password_written_into_the_settings_file_is_refused()
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Kind": "Influx", "Influx": { "Username": "em", "Password": "hunter2" } } } }""");

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains("EnergyMonitor:Storage:Influx:Password: found a secret written into the settings file; expected PasswordEnv", error);
    }

    [Fact]
    public void An_influx_token_variable_that_is_not_set_is_reported_before_start()
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Kind": "Influx", "Influx": { "TokenEnv": "EM_TEST_TOKEN_THAT_IS_NOT_SET" } } } }""");

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains("EnergyMonitor:Storage:Influx:TokenEnv: found environment variable EM_TEST_TOKEN_THAT_IS_NOT_SET unset or empty", error);
    }

    [Fact]
    public void An_unknown_settings_key_is_an_error_not_silently_ignored()
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storge": { } } }""");

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains("EnergyMonitor:Storge: found an unknown key \"Storge\"; expected Storage (the nearest known name)", error);
    }

    [Theory]
    [InlineData("""{ "EnergyMonitor": { "SiteFile": "site.yaml", "Http": { "FailedAuthPerMinute": 99999999999999999999 } } }""", "EnergyMonitor:Http:FailedAuthPerMinute: found \"99999999999999999999\"; expected a whole number")]
    [InlineData("""{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Kind": "Oracle" } } }""", "EnergyMonitor:Storage:Kind: found \"Oracle\"; expected one of Sqlite, Influx")]
    [InlineData("""{ "EnergyMonitor": { "SiteFile": "site.yaml", "Http": { "Urll": "http://127.0.0.1:1" } } }""", "EnergyMonitor:Http:Urll: found an unknown key \"Urll\"; expected Url (the nearest known name)")]
    public void A_value_that_does_not_bind_names_its_field_and_what_it_should_be(string json, string expected)
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", json);

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_site_file_named_in_settings_resolves_against_the_settings_folder()
    {
        Write("site.yaml", SiteYaml.Valid);
        var settings = Write("appsettings.json", """{ "EnergyMonitor": { "SiteFile": "site.yaml" } }""");

        var (exit, output, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.True(exit == 0, error);
        Assert.Contains("configuration valid", output);
    }

    [Fact]
    public void A_site_whose_template_folder_is_missing_says_so()
    {
        Directory.Delete(Path.Combine(_dir, "templates"), recursive: true);
        var site = Write("site.yaml", SiteYaml.Valid);

        var (exit, _, error) = CliRunner.Run("check-config", site, "--settings", Path.Combine(_dir, "absent.json"));

        Assert.Equal(2, exit);
        Assert.Contains("meters[0].modbus.template: found \"acrel-adl3000e\"; expected a template in the templates/ folder beside the site file, but that folder has no templates", error);
    }

    [Fact]
    public void Help_describes_every_command()
    {
        // Every command and subcommand of the tree, not a sample of them: each says what it does, and its help says it.
        var commands = new List<(string Path, System.CommandLine.Command Command)>();
        void Walk(System.CommandLine.Command command, string path)
        {
            foreach (var sub in command.Subcommands)
            {
                commands.Add(($"{path} {sub.Name}".Trim(), sub));
                Walk(sub, $"{path} {sub.Name}");
            }
        }

        var root = CommandLine.Build(TimeProvider.System);
        Walk(root, "");
        var (exit, output, _) = CliRunner.Run("--help");

        Assert.Equal(0, exit);
        Assert.True(commands.Count >= 20, $"{commands.Count} commands");
        Assert.All(root.Subcommands, c => Assert.Contains(c.Name, output, StringComparison.Ordinal));
        Assert.All(commands, c =>
        {
            Assert.True(c.Command.Description is { Length: > 20 }, $"'{c.Path}' has no description");
            var (subExit, help, _) = CliRunner.Run([.. c.Path.Split(' '), "--help"]);
            Assert.Equal(0, subExit);
            Assert.Contains(c.Command.Description![..20], help.ReplaceLineEndings(" "), StringComparison.Ordinal);
            Assert.All(c.Command.Options.Where(o => o.Name != "--help" && !o.Hidden), o => Assert.True(o.Description is { Length: > 0 }, $"'{c.Path} {o.Name}' has no description"));
        });
    }

    [Fact]
    public void Every_file_the_service_loads_is_checked_and_every_error_of_each_is_reported_at_once()
    {
        // A valid site and settings, beside them a broken tariff file, a broken quota file, a broken scorecard, a
        // holiday calendar that is not one, an alert channel whose secret is not where it says, and a report font
        // that is not installed: run would refuse each of them; check-config names every one.
        Write("site.yaml", SiteYaml.Valid);
        Write("tariffs.yaml", "tariffs:\n  - { kind: electricity, from: 2025-13-01, price: 1.0, source: x }\n");
        Write("quotas.yaml", "quotas:\n  - { id: q1, name: q, source: s, confidence: V, regions: [\"32\"], natures: [\"01\"], indicator: energy-per-area, constraint: abc }\n");
        Write("scorecard.yaml", "name: s\nsource: s\ngrades: []\nitems: nope\n");
        Write("holidays.csv", "this is not a calendar\n");
        var settings = Write("appsettings.json", """
            { "EnergyMonitor": { "SiteFile": "site.yaml",
                "Reports": { "FontFamilies": [ "No Such Font Family 123" ] },
                "Alerts": { "HolidaysFile": "holidays.csv",
                  "Channels": [ { "Name": "bms", "Type": "webhook", "Url": "https://bms.example.org/hook", "SecretFile": "/nonexistent/hook.key" } ] } } }
            """);

        var (exit, output, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        Assert.DoesNotContain("configuration valid", output, StringComparison.Ordinal);
        foreach (var expected in new[] { "tariffs.yaml", "quotas.yaml", "scorecard.yaml", "EnergyMonitor:Alerts:HolidaysFile", "EnergyMonitor:Reports:FontFamilies", "/nonexistent/hook.key" })
        {
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_shipped_example_configuration_passes_with_every_file_it_names()
    {
        var (exit, output, error) = CliRunner.Run("check-config", "--settings", Path.Combine(Repository.Root(), "config", "appsettings.json"));

        Assert.True(exit == 0, error);
        Assert.Contains("configuration valid", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
