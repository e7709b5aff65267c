using EnergyMonitor.Analytics.Scorecard;

namespace EnergyMonitor.Site.Tests;

public sealed class ScorecardFilesTests
{
    private static string Config(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(name);
    }

    [Fact]
    public void The_shipped_scheme_loads_with_100_points_the_Shaoyang_grades_and_both_vetoes()
    {
        var (scheme, errors) = ScorecardFiles.LoadScheme(Config("scorecard.yaml"));

        Assert.Empty(errors);
        Assert.Equal(100, scheme!.Total);
        Assert.Equal([95.0, 80, 65, 0], scheme.Grades.Select(g => g.Minimum));
        Assert.Equal(["超额完成", "完成", "基本完成", "未完成"], scheme.Grades.Select(g => g.Name));
        Assert.Equal(["energy-target", "waste-sorting"], scheme.Vetoes.Select(v => v.Id));
        Assert.Contains(scheme.Items, i => i.Rule is ScoreRule.Target { Horizon: "five-year" });
    }

    [Fact]
    public void A_bad_rule_and_an_unknown_veto_item_are_errors_naming_their_fields()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scheme-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            name: x
            source: local
            grades: [{ minimum: 0, name: 未完成 }]
            items:
              - { id: a, name: A, points: 10, rule: guess }
              - { id: b, name: B, points: 10, rule: target, indicator: energy-per-area, horizon: decade }
            vetoes:
              - { id: v, name: V, grade: 未完成, items: [nope] }
            """);
        try
        {
            var (scheme, errors) = ScorecardFiles.LoadScheme(path);

            Assert.Null(scheme);
            Assert.Contains(errors, e => e.ToString().Contains("items[0].rule", StringComparison.Ordinal) && e.ToString().Contains("guess", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.ToString().Contains("items[1].horizon", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.ToString().Contains("vetoes[0].items", StringComparison.Ordinal) && e.ToString().Contains("nope", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_demo_input_loads_for_each_demo_institution()
    {
        var (inputs, year, errors) = ScorecardFiles.LoadInput(Config("scorecard-2026.yaml"));

        Assert.Empty(errors);
        Assert.Equal(2026, year);
        Assert.Equal(3, inputs.Count);
        Assert.True(inputs["lishui-admin"].Conditions["waste-sorting"]);
        Assert.Equal(new DateOnly(2027, 3, 20), inputs["lishui-admin"].StatisticsFiled);
    }
}
