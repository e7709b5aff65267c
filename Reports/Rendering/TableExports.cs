using System.Text;
using EnergyMonitor.Reports.Charts;
using MiniExcelLibs;
using MiniExcelLibs.Picture;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>The report's tables as CSV (one file, a blank line between tables, UTF-8 with BOM for Excel) and XLSX (one sheet per table).</summary>
public static class TableExports
{
    public static byte[] Csv(ReportView view)
    {
        var text = new StringBuilder();
        text.AppendLine(SpreadsheetCells.Csv(view.Report.Title));
        foreach (var table in view.Tables)
        {
            text.AppendLine().AppendLine(SpreadsheetCells.Csv(table.Heading));
            text.AppendLine(string.Join(",", table.Header.Select(SpreadsheetCells.Csv)));
            foreach (var row in table.Rows)
            {
                text.AppendLine(string.Join(",", row.Select(SpreadsheetCells.Csv)));
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(ReportView view) => Xlsx(view, []);

    /// <summary>
    /// The tables, one sheet each, and a last sheet with the charts as pictures, one under another, so a reader of the
    /// workbook alone sees what the HTML and PDF show.
    /// </summary>
    public static byte[] Xlsx(ReportView view, IReadOnlyList<ChartImage> charts)
    {
        var sheets = new Dictionary<string, object>();
        foreach (var table in view.Tables)
        {
            var header = table.Header;
            var rows = table.Rows
                .Select(r => (IDictionary<string, object?>)header.Select((h, i) => (Key: Unique(header, i), Value: (object?)(i < r.Count ? SpreadsheetCells.Text(r[i]) : null))).ToDictionary(p => p.Key, p => p.Value))
                .ToList();
            sheets[Sheet(table.Heading)] = rows;
        }

        var chartSheet = view.L(ReportLabels.ChartsSheet);
        if (charts.Count > 0)
        {
            // One caption per chart, each in the row its picture starts on; a picture covers about 22 default rows.
            sheets[Sheet(chartSheet)] = charts.Select((c, i) => new Dictionary<string, object?> { [chartSheet] = c.Caption }).Cast<IDictionary<string, object?>>().ToList();
        }

        using var stream = new MemoryStream();
        stream.SaveAs(sheets);
        if (charts.Count == 0)
        {
            return stream.ToArray();
        }

        // The caption rows are 2, 3, ...; pictures go to column B, stacked by pixel height (20 px per default row).
        var row = 2;
        var pictures = new List<MiniExcelPicture>();
        foreach (var chart in charts)
        {
            pictures.Add(new MiniExcelPicture
            {
                ImageBytes = chart.Png,
                SheetName = Sheet(chartSheet),
                PictureType = "image/png",
                CellAddress = $"C{row}",
                WidthPx = chart.Width,
                HeightPx = chart.Height,
            });
            row += (chart.Height / 20) + 2;
        }

        stream.Position = 0;
        MiniExcel.AddPicture(stream, [.. pictures]);
        return stream.ToArray();
    }

    // Two columns may share a heading ("来源" twice in the coefficient table): the second gets a number.
    private static string Unique(IReadOnlyList<string> header, int i) => header.Take(i).Contains(header[i]) ? $"{header[i]} {header.Take(i).Count(h => h == header[i]) + 1}" : header[i];

    // Excel sheet names: at most 31 characters, none of : \ / ? * [ ].
    private static string Sheet(string heading) => new([.. heading.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).Take(31)]);
}
