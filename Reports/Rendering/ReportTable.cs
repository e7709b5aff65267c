namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// One table of a report as every renderer draws it: HTML, PDF, XLSX (a sheet each) and CSV take the same headings,
/// columns and formatted cells, so no two renderings can differ in a figure.
/// </summary>
/// <param name="Id">A stable name for the table (<c>totals</c>, <c>items</c> …), used for anchors and for placing the charts after <c>items</c>.</param>
/// <param name="Numeric">Whether the columns after the first hold figures, which align right.</param>
/// <param name="Empty">What to print instead of an empty table ("本期无告警。"), or nothing.</param>
public sealed record ReportTable(string Id, string Heading, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, bool Numeric = true, string Empty = "");
