using EnergyMonitor.Reports.Submission;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

public sealed record ExplanationDto(string Reason, string By, DateTimeOffset At);

public sealed record FindingDto(string Field, string Value, string Rule, string Level, string Fix, bool Explainable, bool Explained, bool Blocks, ExplanationDto? Explanation);

public sealed record ReviewedInstitutionDto(string Id, string Name, double TotalKgce, double? EnergyPerArea, double? EnergyPerPerson, IReadOnlyList<FindingDto> Findings);

public sealed record SubmissionReviewDto(int Year, string Edition, bool Clean, int Errors, int Warnings, IReadOnlyList<ReviewedInstitutionDto> Institutions)
{
    public static SubmissionReviewDto From(ReviewedYear y) => new(y.Year, InstitutionSubmission.CurrentEdition, y.Clean, y.Errors, y.Warnings,
        [.. y.Institutions.Select(i => new ReviewedInstitutionDto(i.Institution.Id, i.Institution.Name, i.Submission.TotalKgce, i.Submission.EnergyPerArea, i.Submission.EnergyPerPerson,
            [.. i.Findings.Select(f => new FindingDto(f.Finding.Field, f.Finding.Value, f.Finding.Rule, f.Finding.Level == FindingLevel.Error ? "error" : "warning", f.Finding.Fix,
                f.Explainable, f.Explained, f.Blocks, f.Explanation is { } e ? new ExplanationDto(e.Reason, e.By, e.At) : null))]))]);
}

public sealed record ExplanationRequest(string? Institution, string? Field, string? Reason);

/// <summary>/submissions: a year's statistical submission as reviewed, its explanations, and its export once clean.</summary>
internal static class SubmissionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/submissions/{year:int}", ReviewAsync).WithName("submission").Produces<SubmissionReviewDto>().ProducesProblem(400)
            .WithSummary("A year's submission review (审核): every institution's findings, whether each can be explained and is, and whether the year may be exported.");
        api.MapPut("/submissions/{year:int}/explanations", ExplainAsync).RequireAuthorization(WebSetup.ApiOperatorPolicy).WithName("explain").Produces<SubmissionReviewDto>().ProducesProblem(400).ProducesProblem(403)
            .WithSummary("Explain a finding (operator or admin): {institution, field, reason}; an empty reason clears it. The same explanations `submit` reads.");
        api.MapGet("/submissions/{year:int}/export", ExportAsync).WithName("export").ProducesProblem(400).ProducesProblem(409)
            .WithSummary("The year's forms once the review is clean: ?format=json, csv or xlsx (default json).");
    }

    private static async Task<IResult> ReviewAsync(int year, SubmissionQuery query, SiteYears years, CancellationToken cancellationToken) =>
        !years.Allows(year)
            ? Bad("year", years.Expected)
            : TypedResults.Ok(SubmissionReviewDto.From(await query.GetAsync(year, cancellationToken).ConfigureAwait(false)));

    private static async Task<IResult> ExplainAsync(int year, ExplanationRequest body, HttpContext context, SubmissionQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        if (!years.Allows(year))
        {
            return Bad("year", years.Expected);
        }

        if (body.Institution is not { Length: > 0 and <= 100 } institution || body.Field is not { Length: > 0 and <= 100 } field)
        {
            return Bad("institution", "the finding's institution id and field, as GET /submissions/{year} lists them");
        }

        if (await query.ExplainAsync(Actors.Of(context.User), year, institution, field, body.Reason ?? "", cancellationToken).ConfigureAwait(false) is { } problem)
        {
            return Bad("reason", problem.En);
        }

        return TypedResults.Ok(SubmissionReviewDto.From(await query.GetAsync(year, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<IResult> ExportAsync(int year, HttpRequest request, HttpContext context, SubmissionQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        var format = request.Query["format"].Count == 0 ? "json" : request.Query["format"].ToString();
        if (!years.Allows(year) || !SubmissionQuery.Formats.Contains(format))
        {
            return !years.Allows(year) ? Bad("year", years.Expected) : Bad("format", "json, csv or xlsx");
        }

        return await query.ExportAsync(Actors.Of(context.User), year, format, cancellationToken).ConfigureAwait(false) is { } file
            ? TypedResults.File(file.Bytes, file.ContentType, file.FileName)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "review not clean", detail: $"the {year} review has findings that block the export: fix or explain them (GET /api/v1/submissions/{year})");
    }
}
