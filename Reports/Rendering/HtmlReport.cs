using System.Text.Encodings.Web;
using EnergyMonitor.Reports.Charts;
using Fluid;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// The report as one self-contained HTML file: the Fluid template (Templates/report.liquid) over the shared view,
/// charts embedded as data URIs, every value HTML-encoded by the engine. The report font travels inside the file
/// too (WOFF2, 480 KB as shipped) so that the page reads the same on a machine with no CJK font; a configured system
/// font is only named, and the reader's browser falls back to its own.
/// </summary>
public static class HtmlReport
{
    private static readonly FluidParser Parser = new();
    private static readonly Lazy<IFluidTemplate> Template = new(() =>
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("Templates.report.liquid") ?? throw new InvalidOperationException("the report template is not embedded");
        using var reader = new StreamReader(stream);
        return Parser.TryParse(reader.ReadToEnd(), out var template, out var error) ? template : throw new InvalidOperationException("report template: " + error);
    });

    public static async Task<string> RenderAsync(ReportView view, IReadOnlyList<ChartImage> charts, CjkFont font)
    {
        var report = view.Report;
        var model = new Dictionary<string, object?>
        {
            ["lang"] = report.Language.Tag,
            ["title"] = report.Title,
            ["generated"] = view.Generated,
            ["coefficientSet"] = report.CoefficientSetId,
            ["basis"] = report.ElectricityBasis,
            ["labels"] = view.Labels,
            ["totalTce"] = view.TotalTce,
            ["totalCo2"] = view.TotalCo2,
            ["totalCost"] = view.TotalCost,
            ["totalYoy"] = ReportNumbers.Change(report.TotalKgceYearOnYear),
            ["alerts"] = report.Alerts,
            ["tables"] = view.Tables.Select(t => new Dictionary<string, object>
            {
                ["id"] = t.Id,
                ["heading"] = t.Heading,
                ["header"] = t.Header,
                ["rows"] = t.Rows,
                ["empty"] = t.Empty,
                ["cells"] = t.Rows.Select(r => r.Select((c, i) => new Dictionary<string, object> { ["text"] = c, ["num"] = t.Numeric && i > 0 && LooksNumeric(c) }).ToList()).ToList(),
            }).ToList(),
            ["charts"] = charts.Select(c => new Dictionary<string, object> { ["base64"] = Convert.ToBase64String(c.Png), ["caption"] = c.Caption, ["width"] = c.Width, ["height"] = c.Height }).ToList(),
            ["notes"] = report.Notes,
            ["fontFamily"] = font.Family,
            ["fontWoff2"] = font.Woff2 is { } woff2 ? Convert.ToBase64String(woff2) : null,
        };
        var options = new TemplateOptions();
        var context = new TemplateContext(model, options);
        return await Template.Value.RenderAsync(context, HtmlEncoder.Default).ConfigureAwait(false);
    }

    /// <summary>Figures, percentages and dashes align right in a column of numbers; names stay left.</summary>
    public static bool LooksNumeric(string cell) =>
        cell.Length > 0 && cell.All(c => char.IsDigit(c) || c is ',' or '.' or '%' or '+' or '-' or ' ' or '—');
}
