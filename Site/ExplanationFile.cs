using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>
/// Reads the officer's explanations for the submission review: institution id → finding field → the reason, e.g.
/// <c>lishui-no2-school: { 指标.人均综合能耗: 用能人数含在校学生 }</c>. A malformed file is an error naming the file and field.
/// </summary>
public static class ExplanationFile
{
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
