using System.Globalization;
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
        var labels = view.Labels;
        var model = new Dictionary<string, object?>
        {
            ["lang"] = report.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "zh-CN",
            ["title"] = report.Title,
            ["generated"] = view.Generated,
            ["coefficientSet"] = report.CoefficientSetId,
            ["basis"] = report.ElectricityBasis,
            ["labels"] = labels,
            ["totalTce"] = view.TotalTce,
            ["totalCo2"] = view.TotalCo2,
            ["totalCost"] = view.TotalCost,
            ["totalYoy"] = ReportNumbers.Change(report.TotalKgceYearOnYear),
            ["alerts"] = report.Alerts,
            ["tables"] = Tables(view).Select(t => new Dictionary<string, object>(t)
            {
                ["cells"] = ((IReadOnlyList<IReadOnlyList<string>>)t["rows"]).Select(r => r.Select((c, i) => new Dictionary<string, object> { ["text"] = c, ["num"] = (bool)t["numeric"] && i > 0 && LooksNumeric(c) }).ToList()).ToList(),
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

    /// <summary>The tables in report order, each with its id, heading, header and formatted rows.</summary>
    public static IReadOnlyList<Dictionary<string, object>> Tables(ReportView view)
    {
        var l = view.Labels;
        Dictionary<string, object> Table(string id, string heading, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, bool numeric = true, string empty = "") =>
            new() { ["id"] = id, ["heading"] = heading, ["header"] = header, ["rows"] = rows, ["numeric"] = numeric, ["empty"] = empty };
        return
        [
            Table("totals", l["totalsHeading"], view.TotalsHeader, view.Totals),
            Table("indicators", l["indicatorsHeading"], view.IndicatorsHeader, view.Indicators),
            Table("items", l["itemsHeading"], view.ItemsHeader, view.Items),
            Table("alerts", l["alertsHeading"], view.AlertsHeader, view.Alerts, numeric: false, empty: l["noAlerts"]),
            Table("coefficients", l["coefficientsHeading"], view.CoefficientsHeader, view.Coefficients, numeric: false),
            .. view.Report.Savings is null ? Array.Empty<Dictionary<string, object>>() : [Table("savings", l["savingsHeading"], view.SavingsHeader, view.Savings, numeric: false)],
            .. Numbered(view.Report.Targets is not { } t ? [] :
            [
                Table("targets", string.Format(CultureInfo.InvariantCulture, l["targetsHeading"], t.BaseYear, t.TargetYear), view.TargetsHeader, view.Targets),
                .. t.QuotaUse.Count == 0 ? Array.Empty<Dictionary<string, object>>() : [Table("quota-use", l["quotaUseHeading"], view.QuotaUseHeader, view.QuotaUse)],
                .. t.QuotaBands.Count == 0 ? Array.Empty<Dictionary<string, object>>() : [Table("quota-bands", l["quotaBandsHeading"], view.QuotaBandsHeader, view.QuotaBands)],
                .. t.Scores.Count == 0 ? Array.Empty<Dictionary<string, object>>() : [Table("scores", l["scoresHeading"], view.ScoresHeader, view.Scores)],
            ], first: 7, view.Report.Language),
        ];
    }

    // The targets' tables are present or not by configuration: numbered as they come, so no number is skipped.
    private static IEnumerable<Dictionary<string, object>> Numbered(IReadOnlyList<Dictionary<string, object>> tables, int first, string language) =>
        tables.Select((t, i) => new Dictionary<string, object>(t) { ["heading"] = ReportLabels.SectionNumber(first + i, language) + (string)t["heading"] });
}
