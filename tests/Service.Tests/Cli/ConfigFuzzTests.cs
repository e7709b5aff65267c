using System.Text;
using CsCheck;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Service.Tests.Cli;

/// <summary>
/// check-config over generated configurations: the example site file and settings with lines deleted, repeated or
/// swapped, values replaced by hostile ones, and bytes overwritten. Every run ends in exit 0 or exit 2 with errors
/// that name the file, never exit 1, a stack trace or an out-of-memory; a review found 16 of 85 that did.
/// </summary>
public sealed partial class ConfigFuzzTests : IDisposable
{
    private static readonly string[] Hostile =
    [
        "", "~", "null", "-1", "0", "1e309", ".nan", "99999999999999999999", "\"\\0\"", "'\t'", "[", "{", "*anchor", "&a [*a, *a]", "!!binary AAAA",
        "\"é𠜎\"", "2999-01-01", "0001-01-01", "/etc/passwd", "../../x", "\"${HOME}\"", "[1, [2, [3]]]", "{ a: b }", "'''", "\"\\uD800\"",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("em-fuzz-").FullName;

    public ConfigFuzzTests() => CliRunner.CopyTemplates(_dir);

    [Fact]
    public void Check_config_on_any_mutation_of_a_valid_configuration_exits_0_or_2_with_a_message_and_no_trace()
    {
        var siteLines = SiteYaml.Valid.Split('\n');
        const string Settings = """
            { "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Kind": "Sqlite", "Sqlite": { "Path": "em.db" } },
              "Http": { "Url": "http://127.0.0.1:5080", "FailedAuthPerMinute": 10 },
              "Mqtt": { "Brokers": [ { "Name": "main", "Host": "127.0.0.1", "Port": 1883, "ClientId": "em" } ] },
              "Logs": { "Directory": "logs", "RetainedDays": 30 } } }
            """;
        var settingsLines = Settings.Split('\n');

        var mutation = Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, Hostile.Length - 1], Gen.Bool);
        mutation.Sample((kind, at, other, value, settings) =>
        {
            var lines = (settings ? settingsLines : siteLines).ToList();
            var i = at % lines.Count;
            var j = other % lines.Count;
            switch (kind)
            {
                case 0:
                    lines.RemoveAt(i);
                    break;
                case 1:
                    lines.Insert(i, lines[j]);
                    break;
                case 2:
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case 3:
                    lines[i] = ReplaceValue(lines[i], Hostile[value]);
                    break;
                case 4:
                    lines[i] = lines[i].Length == 0 ? Hostile[value] : lines[i][..(other % lines[i].Length)] + Hostile[value] + lines[i][(other % lines[i].Length)..];
                    break;
                default:
                    lines[i] = new string('[', 1 + (other % 5000)) + lines[i];
                    break;
            }

            var text = string.Join('\n', lines);
            File.WriteAllText(Path.Combine(_dir, "site.yaml"), settings ? SiteYaml.Valid : text, Encoding.UTF8);
            File.WriteAllText(Path.Combine(_dir, "appsettings.json"), settings ? text : Settings, Encoding.UTF8);

            var (exit, output, error) = CliRunner.Run("check-config", "--settings", Path.Combine(_dir, "appsettings.json"));

            return exit switch
            {
                0 => error.Length == 0,
                2 => Located().IsMatch(error.Split('\n')[0]) && !error.Contains("   at ", StringComparison.Ordinal),
                _ => false,
            } && !output.Contains("   at ", StringComparison.Ordinal);
        }, iter: 300, threads: 1);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An error line begins with the file, line and column it is about.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\S[^\n]*:\d+:\d+: ")]
    private static partial System.Text.RegularExpressions.Regex Located();

    private static string ReplaceValue(string line, string value)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? line + value : line[..(colon + 1)] + " " + value + (line.TrimEnd().EndsWith(',') ? "," : "");
    }
}
