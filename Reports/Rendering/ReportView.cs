using System.Globalization;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Model;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// The report's tables as rows of formatted cells, shared by every renderer, so that HTML, PDF, XLSX and CSV show
/// the same figures with the same precision.
/// </summary>
public sealed class ReportView(ConsumptionReport report)
{
    public IReadOnlyDictionary<string, string> Labels { get; } = ReportLabels.For(report.Language);

    public ConsumptionReport Report => report;

    public IReadOnlyList<string> TotalsHeader => [Labels["kind"], Labels["amount"], Labels["unit"], "kgce", "kgCO2", Labels["cost"], Labels["yoy"], Labels["pop"], Labels["estimated"], Labels["rejected"], Labels["daysMissing"]];

    public IReadOnlyList<IReadOnlyList<string>> Totals =>
    [
        .. report.Totals.Select(t => (IReadOnlyList<string>)
        [
            ReportCharts.KindLabel(t.Kind, report.Language), ReportNumbers.Amount(t.Amount, t.Amount < 1000 ? 2 : 0), t.Unit,
            ReportNumbers.Optional(t.Kgce, 0), ReportNumbers.Optional(t.Co2, 0), ReportNumbers.Optional(t.Cost, 0), ReportNumbers.Change(t.YearOnYear), ReportNumbers.Change(t.PeriodOnPeriod),
            ReportNumbers.Share(t.EstimatedShare), ReportNumbers.Share(t.RejectedShare), t.DaysMissing.ToString(CultureInfo.InvariantCulture),
        ]),
    ];

    public IReadOnlyList<string> IndicatorsHeader => [Labels["indicator"], Labels["value"], Labels["lastYear"], Labels["yoy"]];

    public IReadOnlyList<IReadOnlyList<string>> Indicators =>
    [
        .. report.Indicators.Select(i => (IReadOnlyList<string>)
            [$"{(En ? i.NameEn : i.NameZh)} ({i.Unit})", ReportNumbers.Optional(i.Value, 2), ReportNumbers.Optional(i.LastYear, 2), ReportNumbers.Change(i.YearOnYear)]),
    ];

    public IReadOnlyList<string> ItemsHeader => [Labels["code"], Labels["item"], Labels["amount"], Labels["unit"], Labels["share"]];

    public IReadOnlyList<IReadOnlyList<string>> Items
    {
        get
        {
            var rows = new List<IReadOnlyList<string>>();
            void Walk(ItemNode node, int depth)
            {
                rows.Add([node.Code, new string('\u3000', depth) + (En ? node.NameEn : node.NameZh), ReportNumbers.Amount(node.Amount, node.Amount < 1000 ? 2 : 0), node.Unit, depth == 0 ? "—" : ReportNumbers.Share(node.ShareOfParent)]);
                foreach (var child in node.Children)
                {
                    Walk(child, depth + 1);
                }
            }

            foreach (var root in report.Items)
            {
                Walk(root, 0);
            }

            return rows;
        }
    }

    public IReadOnlyList<string> AlertsHeader => ["#", Labels["opened"], Labels["severity"], Labels["alert"], Labels["state"]];

    public IReadOnlyList<IReadOnlyList<string>> Alerts =>
    [
        .. report.Alerts.Select(a => (IReadOnlyList<string>)
            [a.Id.ToString(CultureInfo.InvariantCulture), a.Opened.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), a.Severity, a.Summary, a.State]),
    ];

    public IReadOnlyList<string> CoefficientsHeader => [Labels["kind"], "kgce/unit", Labels["source"], "kgCO2/unit", Labels["source"]];

    public IReadOnlyList<IReadOnlyList<string>> Coefficients =>
    [
        .. report.Coefficients.Select(c => (IReadOnlyList<string>)
            [$"{ReportCharts.KindLabel(c.Kind, report.Language)} ({c.Unit})", c.KgcePerUnit?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "—", c.KgceSource ?? "—",
             c.Co2PerUnit?.ToString("0.####", CultureInfo.InvariantCulture) ?? "—", c.Co2Source ?? "—"]),
    ];

    public string TotalTce => ReportNumbers.Amount(report.TotalTce, 2) + " tce";

    public string TotalCo2 => ReportNumbers.Amount(report.TotalCo2 / 1000, 2) + " tCO2";

    public string TotalCost => ReportNumbers.Large(report.TotalCost, En ? " yuan" : "元", report.Language);

    public string Generated => report.GeneratedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private bool En => report.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
}
