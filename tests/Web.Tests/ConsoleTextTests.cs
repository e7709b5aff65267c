using System.Text.RegularExpressions;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Web.Pages;

namespace EnergyMonitor.Web.Tests;

public sealed partial class ConsoleTextTests
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

    /// <summary>A word a template asks for that the catalogue lacks renders as nothing, silently: every one must be there.</summary>
    [Fact]
    public void Every_word_a_template_names_is_in_the_catalogue()
    {
        var words = ConsoleText.For(Language.Chinese);
        var templates = Path.Combine(Testing.Repository.Root(), "Web", "Templates");
        var missing = Directory.GetFiles(templates, "*.liquid")
            .SelectMany(f => Word().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Word: m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)))
            .Where(w => !words.ContainsKey(w.Word))
            .Select(w => $"{w.File}: T.{w.Word}")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.True(Directory.GetFiles(templates, "*.liquid").Length >= 15);
    }

    // T.word, and the one literal form T["word"]; T[variable] names a word by data and is checked by the pages' tests.
    [GeneratedRegex("""\bT(?:\.([A-Za-z][A-Za-z0-9]*)|\["([A-Za-z][A-Za-z0-9]*)"\])""")]
    private static partial Regex Word();
}
