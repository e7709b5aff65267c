using System.Diagnostics.CodeAnalysis;

namespace EnergyMonitor.Core.Domain;

/// <summary>Whose series it is: one meter's, or a group's.</summary>
public enum SeriesScope
{
    Meter,
    Building,
    Institution,
    Region,
}

/// <summary>
/// The name of a stored series (docs/DOMAIN.md § Series), one grammar with one parser and one formatter:
/// <list type="bullet">
/// <item><c>m1</c>: a meter's readings and consumption; <c>m1/power</c>: one of its other points;</item>
/// <item><c>building/b1/electricity</c>, <c>institution/i1/water</c>, <c>region/320117/heat</c>: a group's use of a kind;</item>
/// <item><c>building/b1/item/01A00</c>: a group's use under an item code (分类分项);</item>
/// <item><c>institution/i1/budget</c>: the institution's budget series.</item>
/// </list>
/// Site ids never hold a <c>/</c> (docs/CONFIG.md), so the parts are unambiguous.
/// </summary>
public readonly record struct SeriesKey
{
    private const string ItemPart = "item";
    private const string BudgetPart = "budget";

    private SeriesKey(string text, SeriesScope scope, string owner, string? point, EnergyKind? kind, ItemCode? item)
    {
        Text = text;
        Scope = scope;
        Owner = owner;
        Point = point;
        Kind = kind;
        Item = item;
    }

    /// <summary>The series as stored and sent.</summary>
    public string Text { get; }

    public SeriesScope Scope { get; }

    /// <summary>The meter id, or the building, institution or region the group sums.</summary>
    public string Owner { get; }

    /// <summary>A meter's point other than its reading (<c>power</c>), or null.</summary>
    public string? Point { get; }

    /// <summary>A group's energy kind; an item's kind for an item series; null for a meter series and the budget.</summary>
    public EnergyKind? Kind { get; }

    public ItemCode? Item { get; }

    public bool IsBudget => Scope == SeriesScope.Institution && Kind is null && Item is null;

    /// <summary>The meter of a meter series, or null for a group.</summary>
    public MeterId? Meter => Scope == SeriesScope.Meter ? new MeterId(Owner) : null;

    public static SeriesKey Of(MeterId meter, string? point = null) =>
        new(point is null ? meter.Value : $"{meter.Value}/{point}", SeriesScope.Meter, meter.Value, point, null, null);

    public static SeriesKey Of(SeriesScope scope, string owner, EnergyKind kind) =>
        new($"{Prefix(scope)}/{owner}/{EnergyKinds.ConfigName(kind)}", Group(scope), owner, null, kind, null);

    public static SeriesKey Of(SeriesScope scope, string owner, ItemCode item) =>
        new($"{Prefix(scope)}/{owner}/{ItemPart}/{item.Code}", Group(scope), owner, null, item.Kind, item);

    public static SeriesKey Budget(string institution) => new($"institution/{institution}/{BudgetPart}", SeriesScope.Institution, institution, null, null, null);

    /// <summary>The start every series of a group shares (<c>building/b1/</c>), for listing them.</summary>
    public static string GroupPrefix(SeriesScope scope, string owner) => $"{Prefix(Group(scope))}/{owner}/";

    public static bool TryParse(string? text, [NotNullWhen(true)] out SeriesKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var parts = text.Split('/');
        if (parts.Any(p => p.Length == 0))
        {
            return false;
        }

        var scope = parts[0] switch
        {
            "building" => SeriesScope.Building,
            "institution" => SeriesScope.Institution,
            "region" => SeriesScope.Region,
            _ => SeriesScope.Meter,
        };
        key = (scope, parts.Length) switch
        {
            (SeriesScope.Meter, 1) => Of(new MeterId(parts[0])),
            (SeriesScope.Meter, 2) => Of(new MeterId(parts[0]), parts[1]),
            (SeriesScope.Institution, 3) when parts[2] == BudgetPart => Budget(parts[1]),
            (not SeriesScope.Meter, 3) when EnergyKinds.TryParse(parts[2], out var kind) && EnergyKinds.ConfigName(kind) == parts[2] => Of(scope, parts[1], kind),
            (not SeriesScope.Meter, 4) when parts[2] == ItemPart && ItemCodes.TryFind(parts[3], out var item) => Of(scope, parts[1], item),

            // A meter named like a scope ("building") with one point is still that meter's point.
            (not SeriesScope.Meter, 2) => Of(new MeterId(parts[0]), parts[1]),
            _ => null,
        };
        return key is not null;
    }

    public static SeriesKey Parse(string text) =>
        TryParse(text, out var key) ? key.Value : throw new FormatException($"\"{text}\" is not a series: a meter id, meter/point, building|institution|region/ID/KIND, …/item/CODE or institution/ID/budget");

    public override string ToString() => Text;

    private static string Prefix(SeriesScope scope) => scope switch
    {
        SeriesScope.Building => "building",
        SeriesScope.Institution => "institution",
        SeriesScope.Region => "region",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "a group's scope: building, institution or region"),
    };

    private static SeriesScope Group(SeriesScope scope) => scope == SeriesScope.Meter
        ? throw new ArgumentOutOfRangeException(nameof(scope), scope, "a group's scope: building, institution or region")
        : scope;
}
