using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

/// <summary>Reads config/quotas.yaml; every value must name its source and confidence.</summary>
public static class QuotaFile
{
    public static (IReadOnlyList<Analytics.Quotas.EnergyQuota> Quotas, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        var errors = new ErrorSink(path);
        if (YamlFile.Root(path, errors) is not { } root)
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
            var indicator = IndicatorField.Read(q, Analytics.Quotas.EnergyQuota.Indicators);

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
