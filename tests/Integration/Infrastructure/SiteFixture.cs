using EnergyMonitor.Acquisition;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Site;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>Small sites for acquisition tests, using the shipped register templates.</summary>
public static class SiteFixture
{
    /// <summary>The repository's <c>config/</c> folder, found above the test binaries.</summary>
    public static string ConfigDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config");
            if (File.Exists(Path.Combine(candidate, "site.yaml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("config/site.yaml above " + AppContext.BaseDirectory);
    }

    public static string TemplatesDirectory() => Path.Combine(ConfigDirectory(), "templates");

    /// <summary>
    /// The example site copied as <see cref="CopyExampleSite"/> does, its gateways moved from 15020–15022 to free
    /// loopback ports so that a simulator can serve them beside anything else running; returns the site file's text.
    /// </summary>
    public static string CopyExampleSiteOnFreePorts(string directory)
    {
        CopyExampleSite(directory);
        var path = Path.Combine(directory, "site.yaml");
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), @"port: 1502\d", _ => $"port: {FreePort.Next()}");
        File.WriteAllText(path, text);
        return text;
    }

    /// <summary>Copies the example site and its templates into <paramref name="directory"/>.</summary>
    public static void CopyExampleSite(string directory)
    {
        File.Copy(Path.Combine(ConfigDirectory(), "site.yaml"), Path.Combine(directory, "site.yaml"));
        CopyTemplates(directory);
    }

    /// <summary>Copies the shipped templates into <paramref name="directory"/><c>/templates</c>, beside a site file written there.</summary>
    public static void CopyTemplates(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "templates"));
        foreach (var template in Directory.GetFiles(TemplatesDirectory()))
        {
            File.Copy(template, Path.Combine(directory, "templates", Path.GetFileName(template)));
        }
    }

    /// <param name="gateways">YAML list items for <c>gateways:</c>.</param>
    /// <param name="meters">YAML list items for the building's <c>meters:</c>.</param>
    public static LoadedSite Load(string gateways, string meters)
    {
        var yaml = Yaml(gateways, meters);
        var (templates, errors) = TemplateLoader.LoadAll(TemplatesDirectory());
        Assert.Empty(errors);
        var site = SiteConfigLoader.LoadText(yaml, "test-site.yaml", DateTimeOffset.UtcNow, templates.Facts());
        Assert.True(site.IsValid, string.Join("\n", site.Errors));
        return new LoadedSite(site.Require(), templates);
    }

    /// <summary>The text of a one-institution, one-building site with the given gateways and meters.</summary>
    public static string Yaml(string gateways, string meters) => $"""
            name: Test site
            region: {"{"} code: "320117", name: 溧水区 {"}"}
            gateways:
            {Indent(gateways, 2)}
            institutions:
              - id: inst
                name: 机关
                creditCode: 11320117MB0123456D
                nature: "01"
                buildings:
                  - id: b1
                    code: 320117A001
                    name: 主楼
                    floorArea: 10000
                    climateZone: hot-summer-cold-winter
                    meters:
            {Indent(meters, 10)}
            """;

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Trim('\n').Split('\n').Select(l => new string(' ', spaces) + l));
}
