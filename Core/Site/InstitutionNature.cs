namespace EnergyMonitor.Core.Site;

/// <summary>单位性质 codes of the statistical base form (2009–2011 form [V]; unchanged in later editions as far as checked).</summary>
public static class InstitutionNature
{
    public static IReadOnlyDictionary<string, (string Zh, string En)> Codes { get; } = new Dictionary<string, (string, string)>
    {
        ["01"] = ("国家机关", "State organ"),
        ["02"] = ("事业单位", "Public service unit"),
        ["021"] = ("教育", "Education"),
        ["022"] = ("科技", "Science and technology"),
        ["023"] = ("文化", "Culture"),
        ["024"] = ("卫生", "Health"),
        ["025"] = ("体育", "Sport"),
        ["026"] = ("其他", "Other public service"),
        ["03"] = ("社会团体", "Social organisation"),
    };
}
