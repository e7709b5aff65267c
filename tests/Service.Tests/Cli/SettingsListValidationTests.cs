using EnergyMonitor.Service.Settings;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Service.Tests.Cli;

/// <summary>
/// Every item of every list and dictionary in appsettings.json is validated: check-config exits 2 naming the item's
/// path (<c>Brokers[0]:Port</c>), and the settings the service starts from are refused the same way.
/// </summary>
public sealed class SettingsListValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-settings-").FullName;

    private const string Broker = """{ "Name": "main", "Host": "127.0.0.1", "Port": 1883, "ClientId": "em" }""";
    private const string Set = """{ "Id": "JS-2024", "Region": "32", "FromYear": 2024, "Source": "苏发改能源〔2024〕x号" }""";

    public static TheoryData<string, string, string> BadItems => new()
    {
        { Brokers(Broker.Replace("1883", "70000", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:Port", "between 1 and 65535" },
        { Brokers(Broker.Replace("}", ", \"ReceiveMaximum\": 100000 }", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:ReceiveMaximum", "between 1 and 65535" },
        { Brokers(Broker, Broker.Replace("1883", "0", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[1]:Port", "between 1 and 65535" },
        { Brokers(Broker.Replace("\"127.0.0.1\"", "\"\"", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:Host", "required" },
        { Brokers(Broker.Replace("}", ", \"SessionExpiryHours\": -1 }", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:SessionExpiryHours", "between 0 and" },
        { Brokers(Broker, Broker), "EnergyMonitor:Mqtt:Brokers", "repeats \"main\"" },
        { Brokers(Broker.Replace("}", ", \"Mappings\": [ { \"Topic\": \"\" } ] }", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:Mappings[0]:Topic", "required" },
        { Brokers(Broker.Replace("}", ", \"Mappings\": [ { \"Topic\": \"a/{m}/b\", \"Meter\": \"{m}\" }, { \"Topic\": \"a/#/b\" } ] }", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:Mappings[1]:Topic", "topic pattern" },
        { Brokers(Broker.Replace("}", ", \"Mappings\": [ { \"Topic\": \"a/{meter}\", \"Unit\": \"furlong\" } ] }", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:Mappings[0]:Unit", "unit symbol" },
        { Sets(Set.Replace("2024,", "1999,", StringComparison.Ordinal)), "EnergyMonitor:CoefficientSets[0]:FromYear", "between 2000 and 2100" },
        { Sets(Set, Set.Replace("\"32\"", "\"Jiangsu\"", StringComparison.Ordinal)), "EnergyMonitor:CoefficientSets[1]:Region", "region code prefix" },
        { Sets(Set.Replace("}", ", \"Co2\": { \"heat\": -1 } }", StringComparison.Ordinal)), "EnergyMonitor:CoefficientSets[0]:Co2", "0 or more" },
        { Sets(Set.Replace("}", ", \"ElectricityBasis\": \"当量\" }", StringComparison.Ordinal)), "EnergyMonitor:CoefficientSets[0]:ElectricityBasis", "EquivalentInput" },
        { Sets(Set.Replace("}", ", \"ElectricityEquivalentInput\": 3.1 }", StringComparison.Ordinal)), "EnergyMonitor:CoefficientSets[0]:ElectricityEquivalentInput", "between 0 and 1" },
        { Sets(Set.Replace("\"苏发改能源〔2024〕x号\"", "\"\"", StringComparison.Ordinal)), "EnergyMonitor:CoefficientSets[0]:Source", "required" },
        { Sets(Set, Set), "EnergyMonitor:CoefficientSets", "repeats \"JS-2024\"" },

        // Values that passed and never worked: a hash the verifier refuses lets nobody in; NUL in a name.
        { Keys("""{ "Name": "a", "Hash": "pbkdf2-sha256$99999999$c2FsdA==$aGFzaA==" }"""), "EnergyMonitor:Http:ApiKeys[0]:Hash", "iteration count from 1 to 10,000,000" },
        { Keys("""{ "Name": "a", "Hash": "pbkdf2-sha256$1000$c2F=sdA$aGFzaA==" }"""), "EnergyMonitor:Http:ApiKeys[0]:Hash", "base64" },
        { Keys("""{ "Name": "a\u0000b", "Hash": "pbkdf2-sha256$1000$c2FsdA==$aGFzaA==" }"""), "EnergyMonitor:Http:ApiKeys[0]:Name", "printable" },
        { """{ "Http": { "AllowedHosts": [ "energy.example.gov.cn/evil" ] } }""", "EnergyMonitor:Http:AllowedHosts[0]", "host name" },

        // Several instances: a shared group that is not a group name, an id that cannot name a node, a renewal too rare for its lease.
        { Brokers(Broker.Replace("}", ", \"SharedGroup\": \"site/a\" }", StringComparison.Ordinal)), "EnergyMonitor:Mqtt:Brokers[0]:SharedGroup", "without '/'" },
        { """{ "Cluster": { "InstanceId": "node a" } }""", "EnergyMonitor:Cluster:InstanceId", "letters, digits" },
        { """{ "Cluster": { "LeaseSeconds": 30, "RenewSeconds": 20 } }""", "EnergyMonitor:Cluster:RenewSeconds", "at most half of LeaseSeconds" },
    };

    private static string Keys(params string[] keys) => $$"""{ "Http": { "ApiKeys": [ {{string.Join(", ", keys)}} ] } }""";

    private static string Brokers(params string[] brokers) => $$"""{ "Mqtt": { "Brokers": [ {{string.Join(", ", brokers)}} ] } }""";

    private static string Sets(params string[] sets) => $$"""{ "CoefficientSets": [ {{string.Join(", ", sets)}} ] }""";

    [Theory]
    [MemberData(nameof(BadItems))]
    public void Check_config_exits_2_naming_the_bad_list_item_and_what_was_expected(string section, string path, string expected)
    {
        var settings = WriteSettings(section);

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n'), l => l.Contains($"{path}:", StringComparison.Ordinal) || l.Contains($"{path} ", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("appsettings.json", line);
    }

    [Fact]
    public void The_service_refuses_to_start_on_a_bad_broker_port()
    {
        var settings = WriteSettings(Brokers(Broker.Replace("1883", "70000", StringComparison.Ordinal)));

        var (loaded, errors) = ServiceSettingsLoader.Load(settings);

        Assert.Null(loaded);
        Assert.Contains(errors, e => e.ToString().Contains("EnergyMonitor:Mqtt:Brokers[0]:Port", StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_lists_pass()
    {
        var settings = WriteSettings($$"""{ "Mqtt": { "Brokers": [ {{Broker}}, {{Broker.Replace("main", "backup", StringComparison.Ordinal)}} ] }, "CoefficientSets": [ {{Set}} ] }""");

        var (exit, _, error) = CliRunner.Run("check-config", "--settings", settings);

        Assert.Equal("", error);
        Assert.Equal(0, exit);
    }

    private string WriteSettings(string sections)
    {
        File.WriteAllText(Path.Combine(_dir, "site.yaml"), SiteYaml.Valid);
        CliRunner.CopyTemplates(_dir);

        // The sections go inside the EnergyMonitor object beside SiteFile.
        var body = sections.Trim()[1..^1];
        var path = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(path, $$"""{ "EnergyMonitor": { "SiteFile": "site.yaml", {{body}} } }""");
        return path;
    }


    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
