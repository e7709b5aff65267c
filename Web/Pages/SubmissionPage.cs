using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Reports.Submission;
using EnergyMonitor.Web.Queries;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// 统计报送: the year's review, institution by institution, each finding with its field, value, rule and fix; an
/// operator explains a finding in place, and the forms download once nothing blocks them.
/// </summary>
internal static class SubmissionPage
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/submission", (HttpContext c, SubmissionQuery q, SiteYears years, CancellationToken ct) => RenderAsync(c, q, years.Of(c), null, StatusCodes.Status200OK, ct));
        pages.MapPost("/submission/{year:int}/explain", ExplainAsync).RequireAuthorization(WebSetup.OperatorPolicy);
        pages.MapGet("/submission/{year:int}/export/{format}", ExportAsync);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, SubmissionQuery query, int year, LocalizedText? problem, int status, CancellationToken cancellationToken)
    {
        var reviewed = await query.GetAsync(year, cancellationToken).ConfigureAwait(false);
        var language = ConsoleRenderer.Language(context);
        var zone = context.RequestServices.GetRequiredService<Core.Site.SiteModel>().TimeZone;
        return await ConsoleRenderer.RenderAsync(context, "submission", new
        {
            Year = year,
            Years = context.RequestServices.GetRequiredService<SiteYears>().Recent,
            Problem = problem?.In(language) ?? "",
            reviewed.Clean,
            reviewed.Errors,
            reviewed.Warnings,
            Edition = InstitutionSubmission.CurrentEdition,
            TotalTce = (reviewed.Summary.TotalKgce / 1000).ToString("N2", CultureInfo.InvariantCulture),
            Formats = SubmissionQuery.Formats,
            Institutions = reviewed.Institutions.Select(i => new
            {
                i.Institution.Id,
                i.Institution.Name,
                Kgce = i.Submission.TotalKgce.ToString("N0", CultureInfo.InvariantCulture),
                PerArea = i.Submission.EnergyPerArea is { } a ? a.ToString("N2", CultureInfo.InvariantCulture) : "—",
                PerPerson = i.Submission.EnergyPerPerson is { } p ? p.ToString("N1", CultureInfo.InvariantCulture) : "—",
                Blocking = i.Findings.Count(f => f.Blocks),
                Findings = i.Findings.Select(f => new
                {
                    f.Finding.Field,
                    f.Finding.Value,
                    f.Finding.Rule,
                    f.Finding.Fix,
                    Level = f.Finding.Level == FindingLevel.Error ? "error" : "warning",
                    f.Explainable,
                    f.Explained,
                    f.Blocks,
                    Reason = f.Explanation?.Reason ?? "",
                    By = f.Explanation?.By ?? "",
                    At = f.Explanation is { } e ? TimeZoneInfo.ConvertTime(e.At, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "",
                }).ToList(),
            }).ToList(),
        }, status).ConfigureAwait(false);
    }

    private static async Task<IResult> ExplainAsync(int year, HttpContext context, SubmissionQuery query, SiteYears years, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (form, refusal) = await ConsoleForms.ReadAsync(context, antiforgery).ConfigureAwait(false);
        if (form is null)
        {
            return refusal!;
        }

        if (!years.Allows(year))
        {
            return Results.NotFound();
        }

        var institution = form["institution"].ToString();
        var problem = await query.ExplainAsync(Actors.Of(context.User), year, institution, form["field"].ToString(), form["reason"].ToString(), cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return await RenderAsync(context, query, year, problem, StatusCodes.Status400BadRequest, cancellationToken).ConfigureAwait(false);
        }

        var lang = ConsoleRenderer.Language(context).IsEnglish ? "&lang=en" : "";
        return Results.Redirect($"/submission?year={year}{lang}#i-{Uri.EscapeDataString(institution)}");
    }

    private static async Task<IResult> ExportAsync(int year, string format, HttpContext context, SubmissionQuery query, SiteYears years, CancellationToken cancellationToken)
    {
        if (!years.Allows(year) || !SubmissionQuery.Formats.Contains(format))
        {
            return Results.NotFound();
        }

        return await query.ExportAsync(Actors.Of(context.User), year, format, cancellationToken).ConfigureAwait(false) is { } file
            ? Results.File(file.Bytes, file.ContentType, file.FileName)
            : await RenderAsync(context, query, year, new LocalizedText("审核未通过，不能导出：请先修正或说明标为“错误”的发现。", "The review is not clean: fix or explain the findings marked error before exporting."),
                StatusCodes.Status409Conflict, cancellationToken).ConfigureAwait(false);
    }
}
