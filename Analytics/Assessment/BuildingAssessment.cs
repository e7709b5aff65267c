using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Assessment;

/// <summary>Where a weather station's temperatures are kept in the reading store.</summary>
public static class WeatherSeries
{
    /// <summary>Observations in °C, hourly or finer.</summary>
    public static MeterId Observations(string station) => new($"weather/{station}");

    /// <summary>Daily means in °C, one reading at each local midnight.</summary>
    public static MeterId DailyMeans(string station) => new($"weather/{station}/daily");
}

/// <summary>A closed range of local days.</summary>
public readonly record struct DayRange(DateOnly First, DateOnly Last)
{
    public int Days => Last.DayNumber - First.DayNumber + 1;

    public IEnumerable<DateOnly> Each() => Enumerable.Range(0, Days).Select(First.AddDays);
}

/// <summary>One building's weather-normalised assessment of one energy kind, or why there is none.</summary>
public sealed record AssessmentReport(
    string Building,
    EnergyKind Kind,
    string WeatherStation,
    DayRange Baseline,
    DayRange Reporting,
    BaselineResult Result,
    Savings? Savings,
    Converted? Avoided,
    IReadOnlyList<LocalizedText> Notes)
{
    /// <summary>Each reporting day with use and temperature: what was used, and what the baseline model predicts for its weather.</summary>
    public IReadOnlyList<(DateOnly Day, double Actual, double Predicted)> ReportingDays { get; init; } = [];

    /// <summary>Each reporting day's use where it has one, model or not: what the officer sees while the baseline is still too short.</summary>
    public IReadOnlyList<(DateOnly Day, double Actual)> ReportingUse { get; init; } = [];
}

/// <summary>
/// Reads a building's daily use (its kind rollup, never raw readings) and its station's daily temperatures, fits
/// the CalTRACK baseline and computes the reporting period's savings (docs/DOMAIN.md#energy-saving-assessment).
/// </summary>
public sealed class BuildingAssessment(SiteModel site, IConsumptionStore rollups, IReadingStore readings, CoefficientCatalog catalog)
{
    public async Task<AssessmentReport> AssessAsync(string buildingId, EnergyKind kind, DayRange baseline, DayRange reporting, CancellationToken cancellationToken)
    {
        var building = site.Buildings.SingleOrDefault(b => b.Id == buildingId)
            ?? throw new ArgumentException($"no building \"{buildingId}\" in the site", nameof(buildingId));
        var notes = new List<LocalizedText>();
        if (building.WeatherStation is not { } station)
        {
            var none = new Sufficiency(false, [new($"建筑 {buildingId} 在站点文件中没有指定气象站（weatherStation）", $"building {buildingId} names no weatherStation in the site file")], 0, 0, 0);
            return new AssessmentReport(buildingId, kind, "", baseline, reporting, new BaselineResult(null, none), null, null, notes);
        }

        // Each period is read on its own, never the span between them: a viewer's request with a baseline in year 2
        // and a reporting year in 9998 read ten thousand years of temperatures and took the service from 134 MB to
        // 4.5 GB. The work is bounded by the two periods' days, whatever lies between them.
        var use = new Dictionary<DateOnly, double>();
        var temps = new Dictionary<DateOnly, double>();
        foreach (var range in new[] { baseline, reporting })
        {
            foreach (var (day, amount) in await DailyUseAsync(SeriesGroups.Kind(SeriesScope.Building, buildingId, kind), range.First, range.Last, cancellationToken).ConfigureAwait(false))
            {
                use[day] = amount;
            }

            foreach (var (day, mean) in await DailyTemperaturesAsync(station, range.First, range.Last, cancellationToken).ConfigureAwait(false))
            {
                temps[day] = mean;
            }
        }

        List<DailyUse> Days(DayRange range) => [.. range.Each().Select(d => new DailyUse(d, use.GetValueOrDefault(d), temps.GetValueOrDefault(d)))];

        var isElectricity = kind == EnergyKind.Electricity;
        var fitted = CalTrackDaily.Fit(Days(baseline), isElectricity);
        var reportingUse = Days(reporting).Where(d => d.Use is not null).Select(d => (d.Date, d.Use!.Value)).ToList();
        if (fitted.Model is not { } model)
        {
            return new AssessmentReport(buildingId, kind, station, baseline, reporting, fitted, null, null, notes) { ReportingUse = reportingUse };
        }

        if (!model.Fit.PassesGuideline14)
        {
            var failed = string.Join("; ", model.Fit.Verdicts.Where(v => !v.Pass).Select(v => $"{v.Metric} {v.Value:0.###} (needs {v.Threshold})"));
            notes.Add(new("基准模型不符合 ASHRAE Guideline 14：" + failed, "the baseline model does not meet ASHRAE Guideline 14: " + failed));
        }

        var savings = SavingsCalculator.Compute(model, Days(reporting));
        if (savings.MissingDays > 0)
        {
            notes.Add(new($"报告期有 {savings.MissingDays} 天缺用量或气温，两边均不计", $"{savings.MissingDays} reporting days without use or temperature are left out of both sides"));
        }

        // A year no coefficient set covers has savings in the kind's own unit, and no standard coal.
        var set = catalog.TryFor(reporting.Last.Year, site.Region.Code);
        if (set is null)
        {
            notes.Add(new($"没有适用于 {reporting.Last.Year} 年的折标系数：节能量只以实物量给出", $"no coefficient set covers {reporting.Last.Year}: avoided energy is given in its own unit only"));
        }

        var avoided = set is null ? null : EnergyConversion.Convert(new Dictionary<EnergyKind, double> { [kind] = savings.Avoided }, set);
        return new AssessmentReport(buildingId, kind, station, baseline, reporting, fitted, savings, avoided, notes)
        {
            ReportingDays = [.. Days(reporting).Where(d => d.Use is not null && d.MeanTempC is not null).Select(d => (d.Date, d.Use!.Value, model.Predict(d.MeanTempC!.Value)))],
            ReportingUse = reportingUse,
        };
    }

    private async Task<Dictionary<DateOnly, double>> DailyUseAsync(string series, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var rows = await rollups.RollupsAsync([series], RollupPeriod.Day, Midnight(first), Midnight(last.AddDays(1)), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => LocalDate(r.Start), r => r.Amount);
    }

    /// <summary>The station's daily means where it has them, else means of its observations by CalTRACK's rules.</summary>
    private async Task<Dictionary<DateOnly, double>> DailyTemperaturesAsync(string station, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var from = Midnight(first);
        var to = Midnight(last.AddDays(1));
        var result = new Dictionary<DateOnly, double>();
        foreach (var r in await readings.ReadAsync(WeatherSeries.DailyMeans(station), from, to, cancellationToken).ConfigureAwait(false))
        {
            if (r.IsUsable)
            {
                result[LocalDate(r.Timestamp)] = r.Value;
            }
        }

        var observations = new List<Reading>(await readings.ReadAsync(WeatherSeries.Observations(station), from, to, cancellationToken).ConfigureAwait(false));

        // A station may also be a temperature meter of the site, read over Modbus or MQTT like any other.
        if (site.Meters.Any(m => m.IsGauge && m.Id.Value == station))
        {
            observations.AddRange(await readings.ReadAsync(new MeterId(station), from, to, cancellationToken).ConfigureAwait(false));
            observations.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        }

        foreach (var (date, mean) in DailyTemperature.Means(observations.Where(o => o.IsUsable).Select(o => new TemperatureObservation(o.Timestamp, o.Value)), first, last, site.TimeZone))
        {
            if (mean is { } m)
            {
                result.TryAdd(date, m);
            }
        }

        return result;
    }

    private DateTimeOffset Midnight(DateOnly day) => RollupPeriods.Local(day.ToDateTime(TimeOnly.MinValue), site.TimeZone);

    private DateOnly LocalDate(DateTimeOffset t) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, site.TimeZone).DateTime);
}
