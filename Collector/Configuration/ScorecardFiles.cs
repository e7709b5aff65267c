using System.Globalization;
using EnergyMonitor.Analytics.Scorecard;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Collector.Configuration;

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
        if (Root(path, errors) is not { } root)
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
            "target" => new ScoreRule.Target(
                map.String("indicator", expected: "energy-per-area, energy-per-person, water-per-person or co2-per-area") is var indicator && indicator is "energy-per-area" or "energy-per-person" or "water-per-person" or "co2-per-area" ? indicator
                    : Bad(map, "indicator", indicator, "energy-per-area, energy-per-person, water-per-person or co2-per-area"),
                map.String("horizon", expected: "annual or five-year") is var horizon && horizon is "annual" or "five-year" ? horizon : Bad(map, "horizon", horizon, "annual or five-year")),
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
        if (Root(path, errors) is not { } root)
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

    private static YamlMap? Root(string path, ErrorSink errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is YamlException or IOException or UnauthorizedAccessException)
        {
            errors.Add((e as YamlException)?.Start ?? Mark.Empty, "(file)", e.Message, "a readable, well-formed YAML file");
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(Mark.Empty, "(document)", $"{stream.Documents.Count} documents", "one YAML document");
            return null;
        }

        return YamlMap.From(stream.Documents[0].RootNode, "", errors);
    }
}

/// <summary>Reads config/quotas.yaml; every value must name its source and confidence.</summary>
public static class QuotaFile
{
    public static (IReadOnlyList<Analytics.Quotas.EnergyQuota> Quotas, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        var errors = new ErrorSink(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is YamlException or IOException or UnauthorizedAccessException)
        {
            errors.Add((e as YamlException)?.Start ?? Mark.Empty, "(file)", e.Message, "a readable, well-formed YAML file");
            return ([], errors.Errors);
        }

        if (stream.Documents.Count != 1 || YamlMap.From(stream.Documents[0].RootNode, "", errors) is not { } root)
        {
            return ([], errors.Errors);
        }

        var quotas = root.MapList("quotas").Select(q =>
        {
            var id = q.String("id");
            var name = q.String("name");
            var source = q.String("source", expected: "the standard and clause the values come from");
            var confidence = q.String("confidence", expected: "V, S or U") is var c && c is "V" or "S" or "U" ? c : null;
            if (confidence is null)
            {
                q.Error("confidence", c ?? "nothing", "V (read in the standard), S (a secondary source) or U (unchecked)");
            }

            var regions = q.List("regions").Select(r => (r.Node as YamlScalarNode)?.Value ?? "").ToList();
            var natures = q.List("natures", required: false).Select(r => (r.Node as YamlScalarNode)?.Value ?? "").ToList();
            var indicator = q.String("indicator", expected: "energy-per-area or energy-per-person");
            if (indicator is not null and not ("energy-per-area" or "energy-per-person"))
            {
                q.Error("indicator", $"\"{indicator}\"", "energy-per-area or energy-per-person");
            }

            var constraint = q.Number("constraint", true, v => v > 0, "the 约束值, greater than 0");
            var baseline = q.Number("baseline", true, v => v > 0, "the 基准值, greater than 0");
            var guide = q.Number("guide", true, v => v > 0, "the 引导值, greater than 0");
            if (guide < baseline == false || baseline < constraint == false)
            {
                q.Error("constraint", $"{guide} / {baseline} / {constraint}", "引导值 < 基准值 < 约束值");
            }

            q.Finish();
            return id is null || name is null || source is null || confidence is null || indicator is null || constraint is null || baseline is null || guide is null
                ? null
                : new Analytics.Quotas.EnergyQuota(id, name, source, confidence, regions, natures, indicator, constraint.Value, baseline.Value, guide.Value);
        }).OfType<Analytics.Quotas.EnergyQuota>().ToList();
        root.Finish();
        return (quotas, errors.Errors);
    }
}

/// <summary>Reads config/tariffs.yaml: flat prices, or time-of-use bands whose hours cover the day exactly once.</summary>
public static class TariffFile
{
    public static (Analytics.Costs.TariffBook Book, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        var errors = new ErrorSink(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (Exception e) when (e is YamlException or IOException or UnauthorizedAccessException)
        {
            errors.Add((e as YamlException)?.Start ?? Mark.Empty, "(file)", e.Message, "a readable, well-formed YAML file");
            return (Analytics.Costs.TariffBook.Empty, errors.Errors);
        }

        if (stream.Documents.Count != 1 || YamlMap.From(stream.Documents[0].RootNode, "", errors) is not { } root)
        {
            return (Analytics.Costs.TariffBook.Empty, errors.Errors);
        }

        var tariffs = new List<Analytics.Costs.Tariff>();
        foreach (var t in root.MapList("tariffs"))
        {
            var kindText = t.String("kind", expected: "an energy kind, e.g. electricity");
            Core.Domain.EnergyKind? kind = kindText is not null && Core.Domain.EnergyKinds.TryParse(kindText, out var k) ? k : null;
            if (kindText is not null && kind is null)
            {
                t.Error("kind", $"\"{kindText}\"", "an energy kind, e.g. electricity, water, natural-gas, heat");
            }

            var fromText = t.String("from", expected: "the first day the tariff applies, yyyy-MM-dd");
            DateOnly? from = fromText is not null && DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            if (fromText is not null && from is null)
            {
                t.Error("from", $"\"{fromText}\"", "a date, yyyy-MM-dd");
            }

            var source = t.String("source", expected: "where the price comes from");
            var price = t.Number("price", false, v => v >= 0, "元 per unit, 0 or more");
            var bands = new List<Analytics.Costs.TouBand>();
            foreach (var b in t.MapList("timeOfUse", required: false))
            {
                var name = b.String("name");
                var bandPrice = b.Number("price", true, v => v >= 0, "元 per kWh, 0 or more");
                var hours = Hours(b.String("hours", expected: "hour ranges such as \"8-11,17-22\" (end exclusive)"));
                if (hours is null)
                {
                    b.Error("hours", "", "hour ranges such as \"8-11,17-22\", each from 0 to 24, end exclusive");
                }

                b.Finish();
                if (name is not null && bandPrice is not null && hours is not null)
                {
                    bands.Add(new Analytics.Costs.TouBand(name, bandPrice.Value, hours));
                }
            }

            if (bands.Count > 0 && Enumerable.Range(0, 24).Any(h => bands.Count(b => b.Hours.Contains(h)) != 1))
            {
                t.Error("timeOfUse", $"{bands.Count} bands", "bands whose hours cover each hour of the day exactly once");
            }

            if ((price is null) == (bands.Count == 0))
            {
                t.Error("price", price is null ? "neither price nor timeOfUse" : "both price and timeOfUse", "a flat price or time-of-use bands");
            }

            t.Finish();
            if (kind is not null && from is not null && source is not null)
            {
                tariffs.Add(new Analytics.Costs.Tariff(kind.Value, from.Value, price, bands, source));
            }
        }

        root.Finish();
        return (new Analytics.Costs.TariffBook(tariffs), errors.Errors);

        static HashSet<int>? Hours(string? text)
        {
            if (text is null)
            {
                return null;
            }

            var hours = new HashSet<int>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                var ends = part.Split('-');
                if (ends.Length != 2 || !int.TryParse(ends[0], CultureInfo.InvariantCulture, out var a) || !int.TryParse(ends[1], CultureInfo.InvariantCulture, out var z) || a < 0 || z > 24 || a >= z)
                {
                    return null;
                }

                hours.UnionWith(Enumerable.Range(a, z - a));
            }

            return hours;
        }
    }
}
