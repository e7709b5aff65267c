using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Site;

/// <summary>An <c>indicator:</c> field of the scorecard and quota files: one of the indicators the file may name.</summary>
internal static class IndicatorField
{
    /// <summary>The indicator, or null with an error on the map naming what the file may say instead.</summary>
    public static IndicatorId? Read(YamlMap map, IReadOnlyList<IndicatorId> allowed, string key = "indicator")
    {
        var ids = allowed.Select(i => i.Id).ToList();
        var expected = ids.Count == 1 ? ids[0] : $"{string.Join(", ", ids[..^1])} or {ids[^1]}";
        var text = map.String(key, expected: expected);
        if (text is null)
        {
            return null;
        }

        if (IndicatorId.TryParse(text, out var indicator) && allowed.Contains(indicator))
        {
            return indicator;
        }

        map.Error(key, $"\"{text}\"", expected);
        return null;
    }
}
