using System.Globalization;
using EnergyMonitor.Analytics.Quotas;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Pages;

/// <summary>能耗排名: the institutions and buildings of a year, by the indicator the officer picks; each row opens the institution.</summary>
internal static class RankingPage
{
    public static void Map(RouteGroupBuilder pages) => pages.MapGet("/rankings", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, SiteModel site, RankingQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        var year = years.Of(context);
        var by = context.Request.Query["by"].ToString();
        var r = await query.GetAsync(year, RankingMetrics.All.Contains(by) ? by : RankingMetrics.EnergyPerArea, cancellationToken).ConfigureAwait(false);
        var language = ConsoleRenderer.Language(context);
        var max = r.Institutions.Select(i => i.Value ?? 0).DefaultIfEmpty(0).Max();
        var bmax = r.Buildings.Select(b => b.KgcePerArea ?? 0).DefaultIfEmpty(0).Max();
        var through = TimeZoneInfo.ConvertTime(r.Through.AddTicks(-1), site.TimeZone);
        return await ConsoleRenderer.RenderAsync(context, "rankings", new
        {
            r.Year,
            Years = years.Recent,
            By = r.Metric,
            Metrics = RankingMetrics.All.Select(m => new { Id = m, Name = MetricName(m).In(language), Unit = MetricUnit(m) }).ToList(),
            Unit = MetricUnit(r.Metric),
            MetricName = MetricName(r.Metric).In(language),
            Partial = through.Year == r.Year && (through.Month, through.Day) != (12, 31) ? through.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
            r.CoefficientSet,
            Institutions = r.Institutions.Select(i => new
            {
                i.Institution.Id,
                i.Institution.Name,
                Rank = i.Rank?.ToString(CultureInfo.InvariantCulture) ?? "—",
                Nature = InstitutionNature.Codes.TryGetValue(i.Institution.NatureCode, out var n) ? (language.IsEnglish ? n.En : n.Zh) : i.Institution.NatureCode,
                Zone = ClimateZoneName(i.ClimateZone).In(language),
                Value = Format(i.Value, r.Metric),
                Bar = max > 0 && i.Value is { } v ? Math.Round(100 * v / max, 1).ToString(CultureInfo.InvariantCulture) : "0",
                Score = i.Score?.ToString(CultureInfo.InvariantCulture) ?? "—",
                i.Peers,
                BaseYear = i.BaseYear?.ToString(CultureInfo.InvariantCulture) ?? "",
                Change = i.BaseYearChange is { } c ? c.ToString("+0.0 %;-0.0 %;0.0 %", CultureInfo.InvariantCulture) : "—",
                Required = i.RequiredChange is { } q ? q.ToString("+0.0 %;-0.0 %;0.0 %", CultureInfo.InvariantCulture) : "",
                Met = i.BaseYearChange is { } a && i.RequiredChange is { } req && a <= req + 1e-12,
                Quotas = i.Quotas.Select(p => new
                {
                    Indicator = p.Quota.Indicator == IndicatorId.EnergyPerArea ? "kgce/m²" : (language.IsEnglish ? "kgce/person" : "kgce/人"),
                    Value = p.Value.ToString("N1", CultureInfo.InvariantCulture),
                    Guide = p.Quota.Guide.ToString("N1", CultureInfo.InvariantCulture),
                    Constraint = p.Quota.Constraint.ToString("N1", CultureInfo.InvariantCulture),
                    Band = p.Band.ToString(),
                    BandName = BandName(p.Band).In(language),
                }).ToList(),
                Covered = i.Year.WellCovered,
            }).ToList(),
            Buildings = r.Buildings.Select(b => new
            {
                b.Building.Id,
                b.Building.Name,
                Institution = b.Institution.Name,
                Rank = b.Rank?.ToString(CultureInfo.InvariantCulture) ?? "—",
                Kgce = b.Kgce.ToString("N0", CultureInfo.InvariantCulture),
                PerArea = b.KgcePerArea is { } p ? p.ToString("N2", CultureInfo.InvariantCulture) : "—",
                Co2PerArea = b.Co2PerArea is { } c ? c.ToString("N2", CultureInfo.InvariantCulture) : "—",
                Bar = bmax > 0 && b.KgcePerArea is { } v ? Math.Round(100 * v / bmax, 1).ToString(CultureInfo.InvariantCulture) : "0",
            }).ToList(),
        }).ConfigureAwait(false);
    }

    private static string Format(double? value, string metric) => value is { } v ? v.ToString(metric == RankingMetrics.EnergyPerPerson ? "N1" : "N2", CultureInfo.InvariantCulture) : "—";

    internal static LocalizedText MetricName(string metric) => metric switch
    {
        RankingMetrics.EnergyPerPerson => new("人均综合能耗", "Energy per person"),
        RankingMetrics.WaterPerPerson => new("人均用水量", "Water per person"),
        RankingMetrics.Co2PerArea => new("单位建筑面积碳排放", "CO2 per m²"),
        _ => new("单位建筑面积能耗", "Energy per m²"),
    };

    internal static string MetricUnit(string metric) => metric switch
    {
        RankingMetrics.EnergyPerPerson => "kgce/人",
        RankingMetrics.WaterPerPerson => "m³/人",
        RankingMetrics.Co2PerArea => "kgCO2/m²",
        _ => "kgce/m²",
    };

    internal static LocalizedText ClimateZoneName(ClimateZone zone) => zone switch
    {
        ClimateZone.SevereCold => new("严寒地区", "severe cold"),
        ClimateZone.Cold => new("寒冷地区", "cold"),
        ClimateZone.HotSummerColdWinter => new("夏热冬冷地区", "hot summer, cold winter"),
        ClimateZone.HotSummerWarmWinter => new("夏热冬暖地区", "hot summer, warm winter"),
        _ => new("温和地区", "mild"),
    };

    internal static LocalizedText BandName(QuotaBand band) => band switch
    {
        QuotaBand.AtOrBelowGuide => new("达到引导值", "at or below the guide value"),
        QuotaBand.BelowBaseline => new("介于引导值与基准值之间", "between guide and baseline"),
        QuotaBand.BelowConstraint => new("介于基准值与约束值之间", "between baseline and ceiling"),
        _ => new("超过约束值", "over the ceiling"),
    };
}
