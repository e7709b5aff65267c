using System.Globalization;
using EnergyMonitor.Analytics.Scorecard;
using EnergyMonitor.Core.Domain;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>
/// Reads the assessment scheme (config/scorecard.yaml) and the officer's yearly input (scorecard-YEAR.yaml). Every
/// error names the file, the field's path and what was expected, as the site file's do.
/// </summary>
public static class ScorecardFiles
{
    private const string RuleTypes = "target, quota, completeness, timeliness or manual";

    public static (ScoreScheme? Scheme, IReadOnlyList<ConfigError> Errors) LoadScheme(string path)
    {
        var errors = new ErrorSink(path);
        if (YamlFile.Root(path, errors) is not { } root)
        {
            return (null, errors.Errors);
        }

        var name = root.String("name");
        var source = root.String("source", expected: "the published scheme this one follows, or \"local\"");
        var grades = root.MapList("grades").Select(g =>
        {
            var min = g.Number("minimum", true, v => v >= 0, "the least score for the grade, 0 or more");
            var zh = g.String("name");
            var en = g.String("nameEn", required: false) ?? zh;
            g.Finish();
            return min is null || zh is null ? null : new ScoreGrade(min.Value, zh, en!);
        }).OfType<ScoreGrade>().ToList();
        var items = root.MapList("items").Select(ReadItem).OfType<ScoreItem>().ToList();
        var ids = items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var vetoes = root.MapList("vetoes", required: false).Select(v =>
        {
            var id = v.String("id");
            var vetoName = v.String("name");
            var grade = v.String("grade", expected: "the grade a veto gives, e.g. 未完成");
            var vetoItems = v.List("items", required: false).Select(i => (i.Node as YamlScalarNode)?.Value ?? "").ToList();
            foreach (var unknown in vetoItems.Where(i => !ids.Contains(i)))
            {
                v.Error("items", $"\"{unknown}\"", $"ids of items in this scheme: {string.Join(", ", ids)}");
            }

            var input = v.String("input", required: false, expected: "the name of a condition the officer records as met or not, e.g. waste-sorting");
            v.Finish();
            return id is null || vetoName is null || grade is null ? null : new ScoreVeto(id, vetoName, grade, vetoItems, input);
        }).OfType<ScoreVeto>().ToList();
        root.Finish();
        if (grades.Count == 0 && errors.Errors.Count == 0)
        {
            root.Error("grades", "none", "at least one grade");
        }

        return errors.Errors.Count > 0 || name is null || source is null ? (null, errors.Errors) : (new ScoreScheme(name, source, grades, items, vetoes), errors.Errors);
    }

    private static ScoreItem? ReadItem(YamlMap map)
    {
        var id = map.String("id");
        var name = map.String("name");
        var points = map.Number("points", true, v => v > 0, "the item's points, greater than 0");
        ScoreRule? rule = map.String("rule", expected: RuleTypes) switch
        {
            "target" => Target(map),
            "quota" => new ScoreRule.Quota(map.Number("tolerance", false, v => v > 0 && v <= 1, "the overrun at which the item scores nothing, e.g. 0.1") ?? 0.10),
            "completeness" => new ScoreRule.Completeness(
                map.Number("full", false, v => v > 0 && v <= 1, "the metered share for full points, e.g. 0.95") ?? 0.95,
                map.Number("zero", false, v => v >= 0 && v < 1, "the metered share that scores nothing, e.g. 0.8") ?? 0.80),
            "timeliness" => new ScoreRule.Timeliness(),
            "manual" => new ScoreRule.Manual(),
            null => null,
            var other => BadRule(map, other),
        };
        map.Finish();
        return id is null || name is null || points is null || rule is null ? null : new ScoreItem(id, name, points.Value, rule);
    }

    private static ScoreRule.Target? Target(YamlMap map)
    {
        var indicator = IndicatorField.Read(map, IndicatorId.All);
        var horizon = map.String("horizon", expected: "annual or five-year") is var h && h is "annual" or "five-year" ? h : Bad(map, "horizon", h, "annual or five-year");
        return indicator is null ? null : new ScoreRule.Target(indicator, horizon);
    }

    private static string Bad(YamlMap map, string key, string? found, string expected)
    {
        if (found is not null)
        {
            map.Error(key, $"\"{found}\"", expected);
        }

        return "";
    }

    private static ScoreRule? BadRule(YamlMap map, string found)
    {
        map.Error("rule", $"\"{found}\"", RuleTypes);
        return null;
    }

    /// <summary>The officer's entries per institution for one year.</summary>
    public static (IReadOnlyDictionary<string, ScoreInput> Inputs, int? Year, IReadOnlyList<ConfigError> Errors) LoadInput(string path)
    {
        var errors = new ErrorSink(path);
        var result = new Dictionary<string, ScoreInput>(StringComparer.Ordinal);
        if (YamlFile.Root(path, errors) is not { } root)
        {
            return (result, null, errors.Errors);
        }

        var year = root.Integer("year", true, 2000, 2100);
        if (root.Map("institutions") is { } institutions)
        {
            foreach (var (keyNode, _) in ((YamlMappingNode)institutions.Node).Children)
            {
                var id = ((YamlScalarNode)keyNode).Value ?? "";
                if (institutions.Map(id) is not { } entry)
                {
                    continue;
                }

                DateOnly? filed = null;
                if (entry.String("statisticsFiled", required: false, expected: "a date, yyyy-MM-dd") is { } text)
                {
                    filed = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
                    if (filed is null)
                    {
                        entry.Error("statisticsFiled", $"\"{text}\"", "a date, yyyy-MM-dd");
                    }
                }

                var items = new Dictionary<string, double>(StringComparer.Ordinal);
                if (entry.Map("items", required: false) is { } map)
                {
                    foreach (var (k, _) in ((YamlMappingNode)map.Node).Children)
                    {
                        var key = ((YamlScalarNode)k).Value ?? "";
                        if (map.Number(key, true, v => v >= 0, "the points the officer gives, 0 or more") is { } v)
                        {
                            items[key] = v;
                        }
                    }

                    map.Finish();
                }

                var conditions = new Dictionary<string, bool>(StringComparer.Ordinal);
                if (entry.Map("conditions", required: false) is { } c)
                {
                    foreach (var (k, _) in ((YamlMappingNode)c.Node).Children)
                    {
                        var key = ((YamlScalarNode)k).Value ?? "";
                        switch (c.String(key, expected: "met or missed"))
                        {
                            case "met":
                                conditions[key] = true;
                                break;
                            case "missed":
                                conditions[key] = false;
                                break;
                            case { } other:
                                c.Error(key, $"\"{other}\"", "met or missed");
                                break;
                        }
                    }

                    c.Finish();
                }

                _ = entry.String("notes", required: false);
                entry.Finish();
                result[id] = new ScoreInput(items, filed, conditions);
            }

            institutions.Finish();
        }

        root.Finish();
        return (result, year, errors.Errors);
    }
}
