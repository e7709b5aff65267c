using System.Text.RegularExpressions;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// Text bound for a spreadsheet cell, made safe the way OWASP's CSV-injection guidance says: a cell that begins with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is a formula to Excel and LibreOffice, so it is
/// prefixed with a single quote and shown as the text it is. Names come from site.yaml, which an operator writes but
/// a careless or hostile one could fill with <c>=HYPERLINK(…)</c>. Numbers as the reports print them
/// (<c>-3.6 %</c>, <c>+1,234.5</c>) are left as they are: they are no formula, and a quote would break them.
/// </summary>
public static partial class SpreadsheetCells
{
    /// <summary>The cell's text, neutralised if it would start a formula.</summary>
    public static string Text(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !Number().IsMatch(cell) ? "'" + cell : cell;

    /// <summary>The cell as a CSV field (RFC 4180): neutralised, then quoted when it holds a comma, a quote or a line break.</summary>
    public static string Csv(string cell)
    {
        var text = Text(cell);
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }

    [GeneratedRegex(@"^[+-]?[0-9][0-9,]*(\.[0-9]+)?( ?%)?$")]
    private static partial Regex Number();
}
