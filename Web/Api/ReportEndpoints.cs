using EnergyMonitor.Core.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

/// <summary>/reports: the archive, and one archived file through <see cref="ReportFiles"/>, the guard of what may be served.</summary>
internal static class ReportEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/reports", ReportsAsync).WithName("reports").Produces<IReadOnlyList<ReportDto>>().WithSummary("The archive of generated reports.");
        api.MapGet("/reports/{id:long}/download", DownloadAsync).WithName("download").Produces(200, contentType: "application/octet-stream").ProducesProblem(404).WithSummary("One archived report file.");
    }

    private static async Task<IResult> ReportsAsync(IReportArchive archive, CancellationToken cancellationToken) =>
        TypedResults.Ok((await archive.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(r => new ReportDto(r.Id, r.Period, r.Scope, r.Format, Path.GetFileName(r.Path), r.Sha256, r.Bytes, r.GeneratedAt, $"/api/v1/reports/{r.Id}/download")).ToList());

    /// <summary>One archived file, for the API and the console's own download link alike.</summary>
    public static async Task<IResult> DownloadAsync(long id, IReportArchive archive, ReportFiles files, CancellationToken cancellationToken)
    {
        var entry = (await archive.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id == id);
        if (entry is null)
        {
            return NotFound($"no archived report {id}");
        }

        if (files.Resolve(entry.Path) is not { } path)
        {
            return NotFound($"report {id}'s file is outside the report folders or gone");
        }

        var type = entry.Format switch
        {
            "html" => "text/html; charset=utf-8",
            "pdf" => "application/pdf",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "csv" => "text/csv; charset=utf-8",
            _ => "application/octet-stream",
        };
        return TypedResults.PhysicalFile(path, type, Path.GetFileName(path));
    }
}
