namespace EnergyMonitor.Core.Domain;

/// <summary>
/// An energy category (分类) or electricity sub-item (分项) code in the five-character form used by building
/// energy monitoring platforms (MOHURD 2008 导则, JGJ/T 285-2014): e.g. 01000 electricity, 01A00 lighting
/// and sockets, 01A10 indoor lighting.
/// </summary>
public sealed record ItemCode(string Code, string NameZh, string NameEn, EnergyKind Kind)
{
    /// <summary>The item's name in both languages (the submission prints the Chinese one).</summary>
    public LocalizedText Name => new(NameZh, NameEn);

    /// <summary>The parent in the 分类/分项 tree: 01A10 → 01A00 → 01000; a category has none.</summary>
    public string? ParentCode =>
        Code[3] != '0' ? string.Concat(Code.AsSpan(0, 3), "00")
        : Code[2] != '0' && Code[0..2] == "01" ? string.Concat(Code.AsSpan(0, 2), "000")
        : null;

    public bool IsCategory => ParentCode is null;

    public override string ToString() => Code;
}

/// <summary>The codes of docs/DOMAIN.md § Energy categories and sub-items [S: monitoring-platform practice].</summary>
public static class ItemCodes
{
    public static IReadOnlyList<ItemCode> All { get; } =
    [
        new("01000", "电", "Electricity", EnergyKind.Electricity),
        new("01A00", "照明插座用电", "Lighting and sockets", EnergyKind.Electricity),
        new("01A10", "室内照明", "Indoor lighting", EnergyKind.Electricity),
        new("01A20", "走廊和应急照明", "Corridor and emergency lighting", EnergyKind.Electricity),
        new("01A30", "室外景观照明", "Outdoor lighting", EnergyKind.Electricity),
        new("01A40", "办公设备插座", "Office equipment sockets", EnergyKind.Electricity),
        new("01B00", "空调用电", "Air conditioning", EnergyKind.Electricity),
        new("01B10", "冷热站", "Cooling and heating plant", EnergyKind.Electricity),
        new("01B20", "空调末端", "Air-conditioning terminal units", EnergyKind.Electricity),
        new("01B30", "分体式空调", "Split air conditioners", EnergyKind.Electricity),
        new("01C00", "动力用电", "Power", EnergyKind.Electricity),
        new("01C10", "电梯", "Lifts", EnergyKind.Electricity),
        new("01C20", "水泵", "Pumps", EnergyKind.Electricity),
        new("01C30", "通风机", "Fans", EnergyKind.Electricity),
        new("01C40", "电开水器", "Water heaters", EnergyKind.Electricity),
        new("01D00", "特殊用电", "Special", EnergyKind.Electricity),
        new("01D10", "信息中心", "IT centre", EnergyKind.Electricity),
        new("01D20", "厨房餐厅", "Kitchen", EnergyKind.Electricity),
        new("01D30", "其他特殊用电", "Special equipment", EnergyKind.Electricity),
        new("02000", "水", "Water", EnergyKind.Water),
        new("03A00", "天然气", "Natural gas", EnergyKind.NaturalGas),
        new("03B00", "焦炉煤气", "Coke-oven gas", EnergyKind.NaturalGas),
        new("03C00", "其他煤气", "Other gas", EnergyKind.NaturalGas),
        new("04000", "集中供热量", "District heat", EnergyKind.Heat),
        new("05000", "集中供冷量", "District cooling", EnergyKind.Cooling),
    ];

    private static readonly Dictionary<string, ItemCode> ByCode = All.ToDictionary(c => c.Code, StringComparer.Ordinal);

    public static bool TryFind(string code, out ItemCode item) => ByCode.TryGetValue(code, out item!);

    /// <summary>Whether <paramref name="code"/> lies at or under <paramref name="ancestor"/> in the tree.</summary>
    public static bool IsWithin(ItemCode code, ItemCode ancestor)
    {
        for (ItemCode? current = code; current is not null; current = current.ParentCode is { } p ? ByCode[p] : null)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
