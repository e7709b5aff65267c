using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Reports.Model;

/// <summary>The 分类/分项 tree of a period: each item's use from the use of the meters coded exactly so. Pure.</summary>
public static class ItemTree
{
    /// <param name="own">Each item code's use by the meters coded exactly with it (its item series).</param>
    public static IReadOnlyList<ItemNode> Build(IReadOnlyDictionary<string, double> own)
    {
        // An item series holds the meters coded exactly so: a sub-item's use is its own meters' plus its sub-items';
        // a category's is its main meters' (which measure everything below them), or its sub-items' where it has none.
        double Total(ItemCode code) => own.GetValueOrDefault(code.Code) + ItemCodes.All.Where(c => c.ParentCode == code.Code).Sum(Total);
        bool Present(ItemCode code) => own.ContainsKey(code.Code) || ItemCodes.All.Any(c => c.ParentCode == code.Code && Present(c));
        ItemNode Node(ItemCode code, double parentAmount)
        {
            var amount = code.IsCategory && own.TryGetValue(code.Code, out var main) ? main : Total(code);
            var children = ItemCodes.All.Where(c => c.ParentCode == code.Code && Present(c)).Select(c => Node(c, amount)).ToList();
            var unit = EnergyKinds.CanonicalUnit(code.Kind).Symbol;
            if (code.IsCategory && children.Count > 0 && amount - children.Sum(c => c.Amount) is var rest && rest > amount * 1e-6)
            {
                // What the main meters measured that no sub-meter accounts for: losses and loads nobody sub-metered.
                children.Add(new ItemNode(code.Code[..1] + code.Code[1..2] + "X00", ReportText.NotSubMetered, unit, rest, amount > 0 ? rest / amount : 0, []));
            }

            return new ItemNode(code.Code, code.Name, unit, amount, parentAmount > 0 ? amount / parentAmount : 1, children);
        }

        return [.. ItemCodes.All.Where(c => c.IsCategory && Present(c)).Select(c => Node(c, 0))];
    }
}
