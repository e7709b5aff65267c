using System.Reflection;
using System.Text.RegularExpressions;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Service.Tests.Architecture;

/// <summary>
/// The one way the project speaks two languages: <see cref="LocalizedText"/>, with the words of each part in a
/// catalogue whose members are the stable keys. Every catalogue entry must have both languages, and no code outside
/// <see cref="Language"/> may decide the language from a string.
/// </summary>
public sealed partial class LanguageTests
{
    private static readonly IReadOnlyList<Assembly> Assemblies =
    [
        typeof(LocalizedText).Assembly, // Core
        typeof(Analytics.Anomalies.EvidenceNames).Assembly,
        typeof(Reports.Rendering.ReportLabels).Assembly,
        typeof(Notifications.AlertWords).Assembly,
        typeof(Web.Pages.ConsoleText).Assembly,
        typeof(EnergyMonitor.Service.Hosting.ServiceRegistration).Assembly,
    ];

    /// <summary>Every static property and static method of ours that gives a <see cref="LocalizedText"/>.</summary>
    public static TheoryData<string> Entries()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in AllEntries())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Every_catalogue_entry_has_both_languages(string entry)
    {
        // The console's link to the other language names it in that language: its texts are not translations.
        if (entry == "ConsoleText.OtherLanguage")
        {
            return;
        }

        foreach (var text in AllEntries().Where(e => e.Name == entry).SelectMany(e => e.Texts()))
        {
            Assert.False(string.IsNullOrWhiteSpace(text.Zh), $"{entry} has no Chinese");
            Assert.False(string.IsNullOrWhiteSpace(text.En), $"{entry} has no English");

            // Chinese may appear in English only as a glossed term in parentheses ("equivalent value (当量值)").
            Assert.False(HanOutsideParentheses().IsMatch(text.En), $"{entry}'s English has Chinese in it: {text.En}");

            // A Chinese text that is only English words was never translated.
            Assert.False(EnglishWords().IsMatch(text.Zh) && !Han().IsMatch(text.Zh) && text.Zh == text.En && text.En.Any(char.IsLetter),
                $"{entry}'s Chinese is its English: {text.Zh}");
        }
    }

    [Fact]
    public void The_catalogues_are_found()
    {
        var names = AllEntries().Select(e => e.Name).ToList();

        // One entry of each catalogue, so that a catalogue moved out of sight fails here rather than going unchecked.
        Assert.Contains("ConsoleText.SignIn", names);
        Assert.Contains("ReportLabels.TotalsHeading", names);
        Assert.Contains("ReportText.PeriodNotOver", names);
        Assert.Contains("ChartText.DailyByKind", names);
        Assert.Contains("AlertWords.Footer", names);
        Assert.Contains("EvidenceNames.Excess", names);
        Assert.Contains("EnergyKinds.DisplayName", names);
        Assert.True(names.Count > 200, $"{names.Count} entries");
    }

    [Fact]
    public void The_checks_fail_on_a_text_with_one_language()
    {
        Assert.Matches(HanOutsideParentheses(), "电力 use");
        Assert.DoesNotMatch(HanOutsideParentheses(), "equivalent value (当量值)");
    }

    [Fact]
    public void No_code_outside_Language_reads_a_language_from_a_string()
    {
        var root = RepositoryRoot();
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("tests", StringComparison.Ordinal) || relative.StartsWith("bench", StringComparison.Ordinal)
                || relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || relative.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || relative == Path.Combine("Core", "Domain", "Language.cs"))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (LanguageFromString().IsMatch(lines[i]))
                {
                    offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_source_check_fails_on_the_old_ways()
    {
        Assert.Matches(LanguageFromString(), "var en = language.StartsWith(\"en\", StringComparison.OrdinalIgnoreCase);");
        Assert.Matches(LanguageFromString(), "var suffix = language == \"en\" ? \"?lang=en\" : \"\";");
        Assert.Matches(LanguageFromString(), "return Zh ? $\"开始\" : $\"Since\";");
        Assert.DoesNotMatch(LanguageFromString(), "var suffix = language.IsEnglish ? \"?lang=en\" : \"\";");
    }

    private static IEnumerable<(string Name, Func<IEnumerable<LocalizedText>> Texts)> AllEntries()
    {
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()).Where(t => t is { IsAbstract: true, IsSealed: true } && t.Namespace?.StartsWith("EnergyMonitor", StringComparison.Ordinal) == true))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(LocalizedText)))
            {
                yield return ($"{type.Name}.{property.Name}", () => [(LocalizedText)property.GetValue(null)!]);
            }

            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(LocalizedText) && !m.IsSpecialName))
            {
                yield return ($"{type.Name}.{method.Name}", () => Calls(method));
            }
        }

        foreach (var indicator in IndicatorId.All)
        {
            yield return ($"IndicatorId.{indicator.Id}", () => [indicator.Name]);
        }
    }

    /// <summary>The method called with sample arguments: every value of an enum parameter, a plain value of any other.</summary>
    private static List<LocalizedText> Calls(MethodInfo method)
    {
        var choices = method.GetParameters().Select(p => Samples(p.ParameterType)).ToList();
        IEnumerable<object?[]> combinations = [[]];
        foreach (var choice in choices)
        {
            combinations = combinations.SelectMany(c => choice.Select(v => (object?[])[.. c, v]));
        }

        return combinations.Select(args => (LocalizedText)method.Invoke(null, args)!).ToList();
    }

    private static IReadOnlyList<object?> Samples(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t.IsEnum => [.. Enum.GetValues(t).Cast<object>()],
            _ when t == typeof(string) => ["b1"],
            _ when t == typeof(int) => [3],
            _ when t == typeof(long) => [42L],
            _ when t == typeof(double) => [0.25],
            _ when t == typeof(DateOnly) => [new DateOnly(2026, 11, 29)],
            _ when t == typeof(LocalizedText) => [new LocalizedText("夜间平均用电", "night mean use")],
            _ => throw new NotSupportedException($"no sample for a {type.Name} parameter; add one"),
        };
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnergyMonitor.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository root (EnergyMonitor.sln) is not above the test's folder");
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}(?![^(（]*[)）])")]
    private static partial Regex HanOutsideParentheses();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex(@"[A-Za-z]{3,}")]
    private static partial Regex EnglishWords();

    // language.StartsWith("en"…), language == "en", a bool named Zh or en deciding a text: the ways that were.
    [GeneratedRegex(@"StartsWith\(""(en|zh)""|[=!]= ""(en|zh)""|\b(Zh|_en|en|En)\s*\?\s*\$?""")]
    private static partial Regex LanguageFromString();
}
