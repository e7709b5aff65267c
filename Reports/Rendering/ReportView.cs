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

    public IReadOnlyList<string> SavingsHeader => [En ? "Item" : "项目", En ? "Value" : "数值"];

    /// <summary>The savings assessment as label–value rows; empty when the report has none.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Savings
    {
        get
        {
            if (report.Savings is not { } s)
            {
                return [];
            }

            string P(double? v) => v is { } x ? ReportNumbers.Share(x) : "—";
            var rows = new List<IReadOnlyList<string>>
            {
                new[] { En ? "Baseline period" : "基准期", s.Baseline },
                new[] { En ? "Model (CalTRACK daily)" : "基准模型（CalTRACK 日模型）", s.Model },
                new[] { "R²", s.R2 is { } r2 ? r2.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "—" },
                new[] { "CV(RMSE)", P(s.CvRmse) },
                new[] { "NMBE", P(s.Nmbe) },
                new[] { En ? "ASHRAE Guideline 14" : "ASHRAE Guideline 14 检验", s.R2 is null ? "—" : s.PassesGuideline14 ? (En ? "pass" : "通过") : (En ? "fail" : "未通过") },
                new[] { En ? "Predicted (kWh)" : "基准预测用电（kWh）", ReportNumbers.Optional(s.Predicted, 0) },
                new[] { En ? "Actual (kWh)" : "实际用电（kWh）", ReportNumbers.Optional(s.Actual, 0) },
                new[] { En ? "Avoided (kWh)" : "节约电量（kWh）", ReportNumbers.Optional(s.Avoided, 0) },
                // ASHRAE's fractional uncertainty is relative to the savings: shown here in the savings' own terms.
                new[] { En ? "Savings ± uncertainty (90 %)" : "节能率 ± 不确定度（90 %）", s.Fraction is { } f ? ReportNumbers.Share(f) + (s.Uncertainty is { } u ? $" ± {ReportNumbers.Share(Math.Abs(u * f))}" : "") + (s.Uncertainty is { } u2 && s.Avoided is { } av ? $" (± {ReportNumbers.Amount(Math.Abs(u2 * av))} kWh)" : "") : "—" },
            };
            rows.AddRange(s.Notes.Select(n => (IReadOnlyList<string>)[En ? "Note" : "说明", n]));
            return rows;
        }
    }

    public IReadOnlyList<string> TargetsHeader => [Labels["institution"], Labels["indicator"], Labels["baseValue"], Labels["value"], Labels["achieved"], Labels["requiredThisYear"], Labels["requiredByTarget"], Labels["met"]];

    public IReadOnlyList<IReadOnlyList<string>> Targets =>
    [
        .. (report.Targets?.Targets ?? []).Select(t => (IReadOnlyList<string>)
            [t.Institution, $"{t.Indicator} ({t.Unit})", ReportNumbers.Amount(t.BaseValue, 2), ReportNumbers.Amount(t.CurrentValue, 2), ReportNumbers.Change(t.Achieved),
             ReportNumbers.Change(t.RequiredThisYear), ReportNumbers.Change(t.RequiredByTargetYear), t.MetThisYear switch { true => Labels["metYes"], false => Labels["metNo"], null => Labels["metUnjudged"] }]),
    ];

    public IReadOnlyList<string> QuotaUseHeader => [Labels["institution"], Labels["usedKgce"], Labels["annualQuota"], Labels["shareUsed"], Labels["yearElapsed"]];

    public IReadOnlyList<IReadOnlyList<string>> QuotaUse =>
    [
        .. (report.Targets?.QuotaUse ?? []).Select(q => (IReadOnlyList<string>)
            [q.Institution, ReportNumbers.Amount(q.UsedKgce), ReportNumbers.Amount(q.AnnualQuotaKgce), ReportNumbers.Share(q.ShareUsed), ReportNumbers.Share(q.ShareOfYearElapsed)]),
    ];

    public IReadOnlyList<string> QuotaBandsHeader => [Labels["institution"], Labels["quota"], Labels["value"], Labels["guide"], Labels["baseline"], Labels["constraint"], Labels["band"], Labels["source"]];

    public IReadOnlyList<IReadOnlyList<string>> QuotaBands =>
    [
        .. (report.Targets?.QuotaBands ?? []).Select(b => (IReadOnlyList<string>)
            [b.Institution, b.Quota, ReportNumbers.Amount(b.Value, 2), ReportNumbers.Amount(b.Guide, 2), ReportNumbers.Amount(b.Baseline, 2), ReportNumbers.Amount(b.Constraint, 2),
             Labels["band" + ((int)b.Band).ToString(CultureInfo.InvariantCulture)], b.Source]),
    ];

    public IReadOnlyList<string> ScoresHeader => [Labels["institution"], Labels["score"], Labels["total"], Labels["grade"], Labels["veto"]];

    public IReadOnlyList<IReadOnlyList<string>> Scores =>
    [
        .. (report.Targets?.Scores ?? []).Select(s => (IReadOnlyList<string>)
            [s.Institution, ReportNumbers.Amount(s.Score, 1), ReportNumbers.Amount(s.Total), s.Grade, s.Vetoed.Count == 0 ? "—" : string.Join("；", s.Vetoed)]),
    ];

    public string TotalTce => ReportNumbers.Amount(report.TotalTce, 2) + " tce";

    public string TotalCo2 => ReportNumbers.Amount(report.TotalCo2 / 1000, 2) + " tCO2";

    public string TotalCost => ReportNumbers.Large(report.TotalCost, En ? " yuan" : "元", report.Language);

    public string Generated => report.GeneratedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private bool En => report.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
}
