using EnergyMonitor.Core.Domain;
using EnergyMonitor.Web.Pages;

namespace EnergyMonitor.Web.Tests;

public sealed class ConsoleTextTests
{
    [Fact]
    public void Both_languages_have_the_same_words_and_none_is_shadowed_by_liquid()
    {
        var zh = ConsoleText.For(Language.Chinese);
        var en = ConsoleText.For(Language.English);

        Assert.Equal(zh.Keys.Order(StringComparer.Ordinal), en.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(zh.Keys, k => k is "size" or "first" or "last" or "empty" or "blank");
        Assert.All(zh, p => Assert.False(string.IsNullOrWhiteSpace(p.Value), p.Key));
    }
}
