using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Model;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// The report's tables as rows of formatted cells, shared by every renderer, so that HTML, PDF, XLSX and CSV show
/// the same figures with the same precision.
/// </summary>
public sealed class ReportView(ConsumptionReport report)
{
    /// <summary>The report's words in its language, for the HTML template.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = ReportLabels.For(report.Language);

    public ConsumptionReport Report => report;

    public IReadOnlyList<string> TotalsHeader => [L(ReportLabels.Kind), L(ReportLabels.Amount), L(ReportLabels.Unit), "kgce", "kgCO2", L(ReportLabels.Cost), L(ReportLabels.Yoy), L(ReportLabels.Pop), L(ReportLabels.Estimated), L(ReportLabels.Rejected), L(ReportLabels.DaysMissing)];

    public IReadOnlyList<IReadOnlyList<string>> Totals =>
    [
        .. report.Totals.Select(t => (IReadOnlyList<string>)
        [
            ReportCharts.KindLabel(t.Kind, report.Language), ReportNumbers.Amount(t.Amount, t.Amount < 1000 ? 2 : 0), t.Unit,
            ReportNumbers.Optional(t.Kgce, 0), ReportNumbers.Optional(t.Co2, 0), ReportNumbers.Optional(t.Cost, 0), ReportNumbers.Change(t.YearOnYear), ReportNumbers.Change(t.PeriodOnPeriod),
            ReportNumbers.Share(t.EstimatedShare), ReportNumbers.Share(t.RejectedShare), t.DaysMissing.ToString(CultureInfo.InvariantCulture),
        ]),
    ];

    public IReadOnlyList<string> IndicatorsHeader => [L(ReportLabels.Indicator), L(ReportLabels.Value), L(ReportLabels.LastYear), L(ReportLabels.Yoy)];

    public IReadOnlyList<IReadOnlyList<string>> Indicators =>
    [
        .. report.Indicators.Select(i => (IReadOnlyList<string>)
            [$"{L(i.Indicator.Name)} ({i.Indicator.Unit})", ReportNumbers.Optional(i.Value, 2), ReportNumbers.Optional(i.LastYear, 2), ReportNumbers.Change(i.YearOnYear)]),
    ];

    public IReadOnlyList<string> ItemsHeader => [L(ReportLabels.Code), L(ReportLabels.Item), L(ReportLabels.Amount), L(ReportLabels.Unit), L(ReportLabels.Share)];

    public IReadOnlyList<IReadOnlyList<string>> Items
    {
        get
        {
            var rows = new List<IReadOnlyList<string>>();
            void Walk(ItemNode node, int depth)
            {
                rows.Add([node.Code, new string('\u3000', depth) + L(node.Name), ReportNumbers.Amount(node.Amount, node.Amount < 1000 ? 2 : 0), node.Unit, depth == 0 ? "—" : ReportNumbers.Share(node.ShareOfParent)]);
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

    public IReadOnlyList<string> AlertsHeader => ["#", L(ReportLabels.Opened), L(ReportLabels.Severity), L(ReportLabels.Alert), L(ReportLabels.State)];

    public IReadOnlyList<IReadOnlyList<string>> Alerts =>
    [
        .. report.Alerts.Select(a => (IReadOnlyList<string>)
            [a.Id.ToString(CultureInfo.InvariantCulture), Local(a.Opened), a.Severity, a.Summary, a.State]),
    ];

    public IReadOnlyList<string> CoefficientsHeader => [L(ReportLabels.Kind), "kgce/unit", L(ReportLabels.Source), "kgCO2/unit", L(ReportLabels.Source)];

    public IReadOnlyList<IReadOnlyList<string>> Coefficients =>
    [
        .. report.Coefficients.Select(c => (IReadOnlyList<string>)
            [$"{ReportCharts.KindLabel(c.Kind, report.Language)} ({c.Unit})", c.KgcePerUnit?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "—", c.KgceSource ?? "—",
             c.Co2PerUnit?.ToString("0.####", CultureInfo.InvariantCulture) ?? "—", c.Co2Source ?? "—"]),
    ];

    public IReadOnlyList<string> SavingsHeader => [L(ReportLabels.SavingsItem), L(ReportLabels.SavingsValue)];

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
                new[] { L(ReportLabels.SavingsBaselinePeriod), s.Baseline },
                new[] { L(ReportLabels.SavingsModel), s.Model },
                new[] { "R²", s.R2 is { } r2 ? r2.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "—" },
                new[] { "CV(RMSE)", P(s.CvRmse) },
                new[] { "NMBE", P(s.Nmbe) },
                new[] { L(ReportLabels.SavingsGuideline14), s.R2 is null ? "—" : s.PassesGuideline14 ? L(ReportLabels.SavingsPass) : L(ReportLabels.SavingsFail) },
                new[] { L(ReportLabels.SavingsPredicted), ReportNumbers.Optional(s.Predicted, 0) },
                new[] { L(ReportLabels.SavingsActual), ReportNumbers.Optional(s.Actual, 0) },
                new[] { L(ReportLabels.SavingsAvoided), ReportNumbers.Optional(s.Avoided, 0) },
                // ASHRAE's fractional uncertainty is relative to the savings: shown here in the savings' own terms.
                new[] { L(ReportLabels.SavingsFraction), s.Fraction is { } f ? ReportNumbers.Share(f) + (s.Uncertainty is { } u ? $" ± {ReportNumbers.Share(Math.Abs(u * f))}" : "") + (s.Uncertainty is { } u2 && s.Avoided is { } av ? $" (± {ReportNumbers.Amount(Math.Abs(u2 * av))} kWh)" : "") : "—" },
            };
            rows.AddRange(s.Notes.Select(n => (IReadOnlyList<string>)[L(ReportLabels.SavingsNote), n]));
            return rows;
        }
    }

    public IReadOnlyList<string> TargetsHeader => [L(ReportLabels.Institution), L(ReportLabels.Indicator), L(ReportLabels.BaseValue), L(ReportLabels.Value), L(ReportLabels.Achieved), L(ReportLabels.RequiredThisYear), L(ReportLabels.RequiredByTarget), L(ReportLabels.Met)];

    public IReadOnlyList<IReadOnlyList<string>> Targets =>
    [
        .. (report.Targets?.Targets ?? []).Select(t => (IReadOnlyList<string>)
            [t.Institution, $"{t.Indicator} ({t.Unit})", ReportNumbers.Amount(t.BaseValue, 2), ReportNumbers.Amount(t.CurrentValue, 2), ReportNumbers.Change(t.Achieved),
             ReportNumbers.Change(t.RequiredThisYear), ReportNumbers.Change(t.RequiredByTargetYear), t.MetThisYear switch { true => L(ReportLabels.MetYes), false => L(ReportLabels.MetNo), null => L(ReportLabels.MetUnjudged) }]),
    ];

    public IReadOnlyList<string> QuotaUseHeader => [L(ReportLabels.Institution), L(ReportLabels.UsedKgce), L(ReportLabels.AnnualQuota), L(ReportLabels.ShareUsed), L(ReportLabels.YearElapsed)];

    public IReadOnlyList<IReadOnlyList<string>> QuotaUse =>
    [
        .. (report.Targets?.QuotaUse ?? []).Select(q => (IReadOnlyList<string>)
            [q.Institution, ReportNumbers.Amount(q.UsedKgce), ReportNumbers.Amount(q.AnnualQuotaKgce), ReportNumbers.Share(q.ShareUsed), ReportNumbers.Share(q.ShareOfYearElapsed)]),
    ];

    public IReadOnlyList<string> QuotaBandsHeader => [L(ReportLabels.Institution), L(ReportLabels.Quota), L(ReportLabels.Value), L(ReportLabels.Guide), L(ReportLabels.Baseline), L(ReportLabels.Constraint), L(ReportLabels.Band), L(ReportLabels.Source)];

    public IReadOnlyList<IReadOnlyList<string>> QuotaBands =>
    [
        .. (report.Targets?.QuotaBands ?? []).Select(b => (IReadOnlyList<string>)
            [b.Institution, b.Quota, ReportNumbers.Amount(b.Value, 2), ReportNumbers.Amount(b.Guide, 2), ReportNumbers.Amount(b.Baseline, 2), ReportNumbers.Amount(b.Constraint, 2),
             L(ReportLabels.BandName(b.Band)), b.Source]),
    ];

    public IReadOnlyList<string> ScoresHeader => [L(ReportLabels.Institution), L(ReportLabels.Score), L(ReportLabels.Total), L(ReportLabels.Grade), L(ReportLabels.Veto)];

    public IReadOnlyList<IReadOnlyList<string>> Scores =>
    [
        .. (report.Targets?.Scores ?? []).Select(s => (IReadOnlyList<string>)
            [s.Institution, ReportNumbers.Amount(s.Score, 1), ReportNumbers.Amount(s.Total), s.Grade, s.Vetoed.Count == 0 ? "—" : string.Join("；", s.Vetoed)]),
    ];

    public string TotalTce => ReportNumbers.Amount(report.TotalTce, 2) + " tce";

    public string TotalCo2 => ReportNumbers.Amount(report.TotalCo2 / 1000, 2) + " tCO2";

    public string TotalCost => ReportNumbers.Large(report.TotalCost, L(ReportLabels.Yuan), report.Language);

    /// <summary>When the report was made, on the site's clock.</summary>
    public string Generated => Local(report.GeneratedAt);

    /// <summary>
    /// The tables in report order. The targets' tables are present or not by configuration, so they are numbered as
    /// they come, after the fixed sections, and no number is skipped.
    /// </summary>
    public IReadOnlyList<ReportTable> Tables => _tables ??= BuildTables();

    private IReadOnlyList<ReportTable>? _tables;

    private List<ReportTable> BuildTables()
    {
        var tables = new List<ReportTable>
        {
            new("totals", L(ReportLabels.TotalsHeading), TotalsHeader, Totals),
            new("indicators", L(ReportLabels.IndicatorsHeading), IndicatorsHeader, Indicators),
            new("items", L(ReportLabels.ItemsHeading), ItemsHeader, Items),
            new("alerts", L(ReportLabels.AlertsHeading), AlertsHeader, Alerts, Numeric: false, Empty: L(ReportLabels.NoAlerts)),
            new("coefficients", L(ReportLabels.CoefficientsHeading), CoefficientsHeader, Coefficients, Numeric: false),
        };
        if (report.Savings is not null)
        {
            tables.Add(new("savings", L(ReportLabels.SavingsHeading), SavingsHeader, Savings, Numeric: false));
        }

        if (report.Targets is { } t)
        {
            var targets = new List<ReportTable> { new("targets", string.Format(CultureInfo.InvariantCulture, L(ReportLabels.TargetsHeading), t.BaseYear, t.TargetYear), TargetsHeader, Targets) };
            if (t.QuotaUse.Count > 0)
            {
                targets.Add(new("quota-use", L(ReportLabels.QuotaUseHeading), QuotaUseHeader, QuotaUse));
            }

            if (t.QuotaBands.Count > 0)
            {
                targets.Add(new("quota-bands", L(ReportLabels.QuotaBandsHeading), QuotaBandsHeader, QuotaBands));
            }

            if (t.Scores.Count > 0)
            {
                targets.Add(new("scores", L(ReportLabels.ScoresHeading), ScoresHeader, Scores));
            }

            tables.AddRange(targets.Select((table, i) => table with { Heading = ReportLabels.SectionNumber(FirstNumberedSection + i, report.Language) + table.Heading }));
        }

        return tables;
    }

    /// <summary>A word of the catalogue in the report's language.</summary>
    public string L(LocalizedText text) => text.In(report.Language);

    // The fixed sections carry their numbers in their headings (一 … 七); the targets' tables follow them.
    private const int FirstNumberedSection = 7;

    private string Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, report.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
