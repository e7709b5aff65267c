using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>
/// Reads the officer's explanations for the submission review: institution id → finding field → the reason, e.g.
/// <c>lishui-no2-school: { 指标.人均综合能耗: 用能人数含在校学生 }</c>. A malformed file is an error naming the file and field.
/// </summary>
public static class ExplanationFile
{
    /// <summary>
    /// Writes reasons in the form <see cref="Load"/> reads, each key and reason a double-quoted YAML scalar (every quote,
    /// backslash and control character escaped), with an optional comment line above each reason (who gave it, when).
    /// </summary>
    public static string Format(string header, IEnumerable<(string Institution, string Field, string Reason, string? Comment)> reasons)
    {
        var text = new System.Text.StringBuilder();
        foreach (var line in header.Split('\n'))
        {
            text.Append("# ").Append(line).Append('\n');
        }

        foreach (var institution in reasons.GroupBy(r => r.Institution, StringComparer.Ordinal))
        {
            text.Append(Quoted(institution.Key)).Append(":\n");
            foreach (var (_, field, reason, comment) in institution)
            {
                if (comment is not null)
                {
                    text.Append("  # ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
                }

                text.Append("  ").Append(Quoted(field)).Append(": ").Append(Quoted(reason)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Quoted(string value)
    {
        var text = new System.Text.StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                // YAML allows no control character unescaped, nor NEL, the line and paragraph separators or a BOM.
                _ when char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    public static (Dictionary<string, Dictionary<string, string>> Reasons, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        var errors = new ErrorSink(path);
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (YamlFile.Root(path, errors) is not { } root)
        {
            return (result, errors.Errors);
        }

        foreach (var (key, _) in ((YamlMappingNode)root.Node).Children)
        {
            var institution = (key as YamlScalarNode)?.Value ?? "";
            if (root.Map(institution) is not { } fields)
            {
                continue;
            }

            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (field, _) in ((YamlMappingNode)fields.Node).Children)
            {
                var name = (field as YamlScalarNode)?.Value ?? "";
                if (fields.String(name, expected: "the reason for the change, as text") is { } reason)
                {
                    reasons[name] = reason;
                }
            }

            fields.Finish();
            result[institution] = reasons;
        }

        root.Finish();
        return (result, errors.Errors);
    }
}
