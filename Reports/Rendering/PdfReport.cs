using EnergyMonitor.Reports.Charts;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// The report as a PDF (PDFsharp): A4, the CJK font embedded, tables that break across pages with their header
/// repeated, charts at page width, and "page x of y" on every page.
/// </summary>
public static class PdfReport
{
    public static byte[] Render(ReportView view, IReadOnlyList<ChartImage> charts, CjkFont font)
    {
        CjkFontResolver.Use(font);
        using var document = new PdfDocument();
        document.Info.Title = view.Report.Title;
        document.Info.Creator = "EnergyMonitor";
        var writer = new PdfPageWriter(document);
        var report = view.Report;
        writer.Text(report.Title, 16, bold: true);
        writer.Text($"{view.L(ReportLabels.Generated)} {view.Generated} · {view.L(ReportLabels.Coefficients)} {report.CoefficientSetId}（{report.ElectricityBasis}）", 8.5, color: XColors.DimGray);
        writer.Space(6);
        writer.Text($"{view.L(ReportLabels.TotalKgce)} {view.TotalTce}    {view.L(ReportLabels.TotalCo2)} {view.TotalCo2}    {view.L(ReportLabels.Cost)} {view.TotalCost}    {view.L(ReportLabels.Yoy)} {ReportNumbers.Change(report.TotalKgceYearOnYear)}    {view.L(ReportLabels.Alerts)} {report.Alerts.Count}", 10.5, bold: true);
        foreach (var table in view.Tables)
        {
            writer.Space(10);
            writer.Heading(table.Heading);
            if (table.Rows.Count == 0)
            {
                writer.Text(table.Empty, 9, color: XColors.DimGray);
            }
            else
            {
                writer.Table(table.Header, table.Rows, table.Numeric);
            }

            if (table.Id == "items")
            {
                writer.Space(10);
                writer.Heading(view.L(ReportLabels.ChartsHeading), keepWith: 260);
                foreach (var chart in charts)
                {
                    writer.Image(chart);
                }
            }
        }

        foreach (var note in report.Notes)
        {
            writer.Text(note, 8.5, color: XColors.DimGray);
        }

        writer.Finish(view.L(ReportLabels.Page));
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }
}
