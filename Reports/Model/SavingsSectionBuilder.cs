using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Reports.Model;

/// <summary>A building's savings section: its electricity against the baseline fitted on the 365 days before the period.</summary>
public sealed class SavingsSectionBuilder(SiteModel site, BuildingAssessment assessment)
{
    public async Task<SavingsSection?> BuildAsync(string building, ReportPeriod period, Language language, CancellationToken cancellationToken)
    {
        if (site.Buildings.First(b => b.Id == building).WeatherStation is null)
        {
            return null;
        }

        var baseline = new DayRange(period.First.AddDays(-365), period.First.AddDays(-1));
        var reporting = new DayRange(period.First, period.End.AddDays(-1));
        var a = await assessment.AssessAsync(building, EnergyKind.Electricity, baseline, reporting, cancellationToken).ConfigureAwait(false);
        var range = $"{baseline.First:yyyy-MM-dd} … {baseline.Last:yyyy-MM-dd}";
        if (a.Result.Model is not { } model)
        {
            return new SavingsSection(ReportText.NoModel.In(language), null, null, null, false, null, null, null, null, null, range, [.. a.Result.Sufficiency.Reasons.Select(r => r.In(language)), .. a.Notes.Select(n => n.In(language))], []);
        }

        var text = $"{model.Type}: {model.Intercept:N1} kWh/d" + (model.HeatingBalanceC is { } hb ? $" + {model.HeatingSlope:N2}·HDD({hb:0.#} °C)" : "") + (model.CoolingBalanceC is { } cb ? $" + {model.CoolingSlope:N2}·CDD({cb:0.#} °C)" : "");
        return new SavingsSection(text, model.Fit.R2, model.Fit.CvRmse, model.Fit.Nmbe, model.Fit.PassesGuideline14, a.Savings?.Predicted, a.Savings?.Actual, a.Savings?.Avoided,
            a.Savings?.Fraction, a.Savings?.FractionalUncertainty, range, [.. a.Notes.Select(n => n.In(language))], a.ReportingDays);
    }
}
