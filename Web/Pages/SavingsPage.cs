using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// 节能量: a building's weather-normalised assessment over periods the officer picks: the baseline model's prediction
/// against actual use day by day, the model's fit against ASHRAE Guideline 14, and the avoided energy with its
/// uncertainty (docs/DOMAIN.md#energy-saving-assessment).
/// </summary>
internal static class SavingsPage
{
    private static readonly JsonSerializerOptions ChartJson = new() { Encoder = JavaScriptEncoder.Default, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/savings", (HttpContext c, SiteModel site) =>
            ConsoleRenderer.RenderAsync(c, "savings-index", new
            {
                Buildings = site.Institutions.SelectMany(i => i.Buildings.Select(b => new { b.Id, b.Name, Institution = i.Name, Station = b.WeatherStation ?? "" })).ToList(),
            }));
        pages.MapGet("/savings/{building}", RenderAsync);
    }

    private static bool TryDay(string text, out DateOnly day) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static async Task<IResult> RenderAsync(string building, HttpContext context, SiteModel site, BuildingAssessment assessment, TimeProvider time, CancellationToken cancellationToken)
    {
        var b = site.Buildings.FirstOrDefault(x => x.Id == building);
        if (b is null)
        {
            return Results.NotFound();
        }

        var language = ConsoleRenderer.Language(context);
        var q = context.Request.Query;
        var kinds = EnergyKinds.Consumed.Where(k => b.Meters.Any(m => m.Kind == k)).ToList();
        var kind = EnergyKinds.TryParse(q["kind"].ToString(), out var k) && kinds.Contains(k) ? k : EnergyKind.Electricity;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone).DateTime);
        var reporting = new DayRange(today.AddDays(-30), today.AddDays(-1));
        var baseline = new DayRange(reporting.First.AddDays(-365), reporting.First.AddDays(-1));
        var problem = "";
        if (q["reportingFrom"].Count + q["reportingTo"].Count + q["baselineFrom"].Count + q["baselineTo"].Count > 0)
        {
            if (TryDay(q["reportingFrom"].ToString(), out var rf) && TryDay(q["reportingTo"].ToString(), out var rt)
                && TryDay(q["baselineFrom"].ToString(), out var bf) && TryDay(q["baselineTo"].ToString(), out var bt)
                && rf <= rt && bf <= bt && bt < rf && rt < today && rt.DayNumber - bf.DayNumber <= 1500 && bf.Year >= 2000)
            {
                (reporting, baseline) = (new DayRange(rf, rt), new DayRange(bf, bt));
            }
            else
            {
                problem = language.IsEnglish
                    ? "Periods are dates (yyyy-MM-dd) that run forwards, the baseline ending before the reporting period starts, both before today and within four years: the defaults are shown."
                    : "日期须为 yyyy-MM-dd，起止有序，基准期在报告期之前，均早于今天且跨度不超过四年；以下为默认期间。";
            }
        }

        AssessmentReport? report = b.WeatherStation is null ? null : await assessment.AssessAsync(b.Id, kind, baseline, reporting, cancellationToken).ConfigureAwait(false);
        var model = report?.Result.Model;
        var savings = report?.Savings;
        var unit = EnergyKinds.CanonicalUnit(kind).Symbol;
        static string N(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "—";
        // With a model, each day's use beside its prediction; without one (a baseline too short), the use alone.
        var days = model is not null
            ? (report?.ReportingDays ?? []).Select(d => (d.Day, d.Actual, Predicted: (double?)d.Predicted)).ToList()
            : (report?.ReportingUse ?? []).Select(d => (d.Day, d.Actual, Predicted: (double?)null)).ToList();
        var series = new List<object> { new { label = language.IsEnglish ? "Actual" : "实际用量", values = days.Select(d => (double?)Math.Round(d.Actual, 1)).ToArray() } };
        if (model is not null)
        {
            series.Add(new { label = language.IsEnglish ? "Baseline (weather-normalised)" : "基准（气象修正）", values = days.Select(d => d.Predicted is { } p ? Math.Round(p, 1) : (double?)null).ToArray() });
        }

        var chart = JsonSerializer.Serialize(new
        {
            x = days.Select(d => (double)new DateTimeOffset(d.Day.ToDateTime(TimeOnly.MinValue), site.TimeZone.GetUtcOffset(d.Day.ToDateTime(TimeOnly.MinValue))).ToUnixTimeSeconds()).ToArray(),
            series,
            kind = "line",
            time = true,
            tz = site.TimeZone.Id,
        }, ChartJson);
        return await ConsoleRenderer.RenderAsync(context, "savings", new
        {
            b.Id,
            b.Name,
            Institution = site.Institutions.First(i => i.Buildings.Contains(b)).Name,
            Station = b.WeatherStation ?? "",
            Kind = EnergyKinds.ConfigName(kind),
            Kinds = kinds.Select(x => new { Id = EnergyKinds.ConfigName(x), Name = EnergyKinds.DisplayName(x).In(language) }).ToList(),
            Unit = unit,
            Problem = problem,
            BaselineFrom = $"{baseline.First:yyyy-MM-dd}",
            BaselineTo = $"{baseline.Last:yyyy-MM-dd}",
            ReportingFrom = $"{reporting.First:yyyy-MM-dd}",
            ReportingTo = $"{reporting.Last:yyyy-MM-dd}",
            HasModel = model is not null,
            Model = model?.Type.ToString() ?? "",
            Verdicts = model?.Fit.Verdicts.Select(v => new
            {
                v.Metric,
                Value = v.Metric == "R²" ? N(v.Value, "0.000") : N(v.Value * 100, "0.0") + " %",
                v.Threshold,
                v.Pass,
            }).ToList(),
            Passes = model?.Fit.PassesGuideline14 ?? false,
            Predicted = N(savings?.Predicted, "N0"),
            Actual = N(savings?.Actual, "N0"),
            Avoided = N(savings?.Avoided, "N0"),
            Fraction = N(savings?.Fraction * 100, "0.0"),
            Uncertainty = savings?.FractionalUncertainty is { } u && double.IsFinite(u) ? N(u * Math.Abs(savings.Avoided), "N0") : "",
            UncertaintyShare = savings?.FractionalUncertainty is { } s && double.IsFinite(s) ? N(s * 100, "0") : "",
            Confidence = N(SavingsCalculator.Confidence * 100, "0"),
            AvoidedKgce = report?.Avoided is { } a ? N(a.Kgce.Value, "N0") : "—",
            AvoidedCo2 = report?.Avoided is { } c ? N(c.Co2.Value, "N0") : "—",
            Saved = savings is { Avoided: > 0 },
            Chart = chart,
            HasDays = days.Count > 0,
            Days = days.Select(d => new { Day = $"{d.Day:yyyy-MM-dd}", Actual = N(d.Actual, "N1"), Predicted = N(d.Predicted, "N1") }).ToList(),
            Notes = report is null ? [] : (IReadOnlyList<string>)[.. report.Result.Sufficiency.Reasons.Select(r => r.In(language)), .. report.Notes.Select(n => n.In(language))],
        }).ConfigureAwait(false);
    }
}
