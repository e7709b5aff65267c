using EnergyMonitor.Core.Site;
using EnergyMonitor.Site;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Analytics.Tests;

/// <summary>The shipped example site (config/site.yaml): its hierarchy and meter tree, without the register templates, which only the pollers need.</summary>
internal static class TestSites
{
    public static SiteModel Example()
    {
        var loaded = SiteConfigLoader.Load(Path.Combine(Repository.Root(), "config", "site.yaml"), new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Require();
    }
}
