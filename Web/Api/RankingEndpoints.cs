using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

public sealed record QuotaPositionDto(string Quota, string Indicator, double Value, double Guide, double Baseline, double Constraint, string Band, double Position, string Source);

public sealed record InstitutionRankDto(string Id, string Name, string Nature, string ClimateZone, int? Rank, double? Value, int? PeerScore, int Peers, string PeerGroup,
    int? BaseYear, double? BaseYearChange, double? RequiredChange, bool WellCovered, IReadOnlyList<QuotaPositionDto> Quotas);

public sealed record BuildingRankDto(string Id, string Name, string Institution, int? Rank, double Kgce, double? KgcePerArea, double Co2, double? Co2PerArea);

public sealed record RankingsDto(int Year, DateTimeOffset Through, string Metric, string CoefficientSet, IReadOnlyList<InstitutionRankDto> Institutions, IReadOnlyList<BuildingRankDto> Buildings);

public sealed record ScoreItemDto(string Id, string Name, double Points, double Score, double? LastYear, string Basis);

public sealed record ScorecardDto(string Institution, string Name, double Score, double Total, string Grade, double? LastYearScore, string? LastYearGrade,
    IReadOnlyList<ScoreItemDto> Items, IReadOnlyList<string> Vetoed, IReadOnlyList<string> Notes, IReadOnlyList<QuotaPositionDto> Quotas);

public sealed record ScorecardsDto(int Year, string Scheme, string Source, IReadOnlyList<ScorecardDto> Institutions);

/// <summary>/rankings and /scorecards: the 能耗排名 and the 考核评价 of a year, as the console's pages show them.</summary>
internal static class RankingEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/rankings/{year:int}", RankingsAsync).WithName("rankings").Produces<RankingsDto>().ProducesProblem(400)
            .WithSummary("Institutions and buildings of a year (to date while it runs), ranked by ?by=energy-per-area (default), energy-per-person, water-per-person or co2-per-area, with peer scores, base-year change and quotas.");
        api.MapGet("/scorecards/{year:int}", ScorecardsAsync).WithName("scorecards").Produces<ScorecardsDto>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("Each institution's 考核评价 for a year beside the year before: items with points and evidence, vetoes, notes and quotas. ?institution= for one.");
    }

    private static QuotaPositionDto Quota(Analytics.Quotas.QuotaPosition q) =>
        new(q.Quota.Name, q.Quota.Indicator == IndicatorId.EnergyPerArea ? "energy-per-area" : "energy-per-person", q.Value, q.Quota.Guide, q.Quota.Baseline, q.Quota.Constraint, q.Band.ToString(), q.Position, q.Quota.Source);

    private static async Task<IResult> RankingsAsync(int year, HttpRequest request, RankingQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        var by = request.Query["by"].Count == 0 ? RankingMetrics.EnergyPerArea : request.Query["by"].ToString();
        if (!years.Allows(year))
        {
            return Bad("year", years.Expected);
        }

        if (!RankingMetrics.All.Contains(by))
        {
            return Bad("by", string.Join(", ", RankingMetrics.All));
        }

        var r = await query.GetAsync(year, by, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RankingsDto(r.Year, r.Through, r.Metric, r.CoefficientSet,
            [.. r.Institutions.Select(i => new InstitutionRankDto(i.Institution.Id, i.Institution.Name, i.Institution.NatureCode, i.ClimateZone.ToString(), i.Rank, i.Value, i.Score, i.Peers, i.PeerGroup,
                i.BaseYear, i.BaseYearChange, i.RequiredChange, i.Year.WellCovered, [.. i.Quotas.Select(Quota)]))],
            [.. r.Buildings.Select(b => new BuildingRankDto(b.Building.Id, b.Building.Name, b.Institution.Id, b.Rank, b.Kgce, b.KgcePerArea, b.Co2, b.Co2PerArea))]));
    }

    private static async Task<IResult> ScorecardsAsync(int year, HttpRequest request, SiteModel site, ScorecardQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        var institution = request.Query["institution"].Count == 0 ? null : request.Query["institution"].ToString();
        if (!years.Allows(year))
        {
            return Bad("year", years.Expected);
        }

        if (institution is not null && site.Institutions.All(i => i.Id != institution))
        {
            return NotFound($"no institution \"{QueryInput.Clip(institution)}\" in the site");
        }

        if (await query.GetAsync(year, institution, cancellationToken).ConfigureAwait(false) is not { } cards)
        {
            return NotFound("no assessment scheme is configured (scorecard.yaml beside the settings)");
        }

        var language = Language(request);
        return TypedResults.Ok(new ScorecardsDto(cards.Year, cards.Scheme, cards.Source, [.. cards.Rows.Select(r => new ScorecardDto(r.Institution.Id, r.Institution.Name, r.This.Score, r.This.Total, r.This.Grade,
            r.Last?.Score, r.Last?.Grade,
            [.. r.This.Items.Select(i => new ScoreItemDto(i.Id, i.Name, i.Points, i.Score, r.Last?.Items.FirstOrDefault(x => x.Id == i.Id)?.Score, i.Basis.In(language)))],
            r.This.Vetoed, [.. r.This.Notes.Select(n => n.In(language))], [.. r.This.Quotas.Select(Quota)]))]));
    }
}
