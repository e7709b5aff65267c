using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// 考核评价: every institution's score and grade for a year beside last year's; and one institution's page, item by
/// item with the evidence behind each point, the vetoes, the notes, its quotas and its buildings.
/// </summary>
internal static class ScorecardPage
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/scorecard", ListAsync);
        pages.MapGet("/scorecard/{institution}", InstitutionAsync);
    }

    private static string Points(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static async Task<IResult> ListAsync(HttpContext context, ScorecardQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        var year = years.Of(context);
        var cards = await query.GetAsync(year, null, cancellationToken).ConfigureAwait(false);
        return await ConsoleRenderer.RenderAsync(context, "scorecard", new
        {
            Year = year,
            Years = years.Recent,
            Configured = cards is not null,
            Scheme = cards?.Scheme ?? "",
            Source = cards?.Source ?? "",
            Rows = (cards?.Rows ?? []).OrderByDescending(r => r.This.Score).Select(r => new
            {
                r.Institution.Id,
                r.Institution.Name,
                Score = Points(r.This.Score),
                Total = Points(r.This.Total),
                r.This.Grade,
                Last = r.Last is { } l ? $"{Points(l.Score)}（{l.Grade}）" : "—",
                Delta = r.Last is { } p ? (r.This.Score - p.Score).ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture) : "",
                Up = r.Last is { } q && r.This.Score >= q.Score,
                Vetoed = r.This.Vetoed.Count > 0,
                Notes = r.This.Notes.Count,
            }).ToList(),
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> InstitutionAsync(string institution, HttpContext context, SiteModel site, ScorecardQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        var found = site.Institutions.FirstOrDefault(i => i.Id == institution);
        if (found is null)
        {
            return Results.NotFound();
        }

        var year = years.Of(context);
        var language = ConsoleRenderer.Language(context);
        var row = (await query.GetAsync(year, institution, cancellationToken).ConfigureAwait(false))?.Rows.SingleOrDefault();
        var facts = found.FactsFor(year);
        return await ConsoleRenderer.RenderAsync(context, "institution", new
        {
            Year = year,
            Years = years.Recent,
            found.Id,
            found.Name,
            Nature = InstitutionNature.Codes.TryGetValue(found.NatureCode, out var n) ? $"{found.NatureCode} {(language.IsEnglish ? n.En : n.Zh)}" : found.NatureCode,
            Area = facts is null ? "—" : facts.FloorArea.Value.ToString("N0", CultureInfo.InvariantCulture),
            Occupants = facts is null ? "—" : facts.Occupants.ToString("N0", CultureInfo.InvariantCulture),
            Buildings = found.Buildings.Select(b => new { b.Id, b.Name, Area = b.FloorArea.Value.ToString("N0", CultureInfo.InvariantCulture) }).ToList(),
            Configured = row is not null,
            Score = row is null ? "" : Points(row.This.Score),
            Total = row is null ? "" : Points(row.This.Total),
            Grade = row?.This.Grade ?? "",
            Last = row?.Last is { } l ? $"{Points(l.Score)}（{l.Grade}）" : "—",
            PerArea = row?.This.EnergyPerArea is { } a ? a.ToString("N2", CultureInfo.InvariantCulture) : "—",
            PerPerson = row?.This.EnergyPerPerson is { } p ? p.ToString("N1", CultureInfo.InvariantCulture) : "—",
            Items = row is null ? [] : row.This.Items.Select(i =>
            {
                var last = row.Last?.Items.FirstOrDefault(x => x.Id == i.Id);
                return new
                {
                    i.Id,
                    i.Name,
                    Points = Points(i.Points),
                    Score = Points(i.Score),
                    Full = i.Score >= i.Points - 1e-9,
                    Last = last is null ? "—" : Points(last.Score),
                    Basis = i.Basis.In(language),
                    LastBasis = last?.Basis.In(language) ?? "",
                };
            }).ToList(),
            Vetoed = row?.This.Vetoed ?? [],
            Notes = (row?.This.Notes ?? []).Select(n => n.In(language)).ToList(),
            Quotas = (row?.This.Quotas ?? []).Select(q => new
            {
                q.Quota.Name,
                Indicator = q.Quota.Indicator == IndicatorId.EnergyPerArea ? "kgce/m²" : (language.IsEnglish ? "kgce/person" : "kgce/人"),
                Value = q.Value.ToString("N1", CultureInfo.InvariantCulture),
                Guide = q.Quota.Guide.ToString("N1", CultureInfo.InvariantCulture),
                Baseline = q.Quota.Baseline.ToString("N1", CultureInfo.InvariantCulture),
                Constraint = q.Quota.Constraint.ToString("N1", CultureInfo.InvariantCulture),
                Band = q.Band.ToString(),
                BandName = RankingPage.BandName(q.Band).In(language),
                q.Quota.Source,
                q.Quota.Confidence,
            }).ToList(),
        }).ConfigureAwait(false);
    }
}
