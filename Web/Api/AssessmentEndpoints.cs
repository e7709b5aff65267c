using EnergyMonitor.Analytics.Assessment;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static EnergyMonitor.Web.Api.ApiProblems;

namespace EnergyMonitor.Web.Api;

/// <summary>/assessments: a building's weather-normalised savings over periods the caller picks.</summary>
internal static class AssessmentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/assessments/{building}", AssessAsync).WithName("assessment").Produces<AssessmentDto>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("A building's weather-normalised savings: ?reporting=yyyy-MM-dd..yyyy-MM-dd (default the last 30 days), ?baseline= (default the 365 days before), ?kind=electricity.");
    }

    private static async Task<IResult> AssessAsync(string building, HttpRequest request, SiteModel site, BuildingAssessment assessment, TimeProvider time, CancellationToken cancellationToken)
    {
        var b = site.Buildings.FirstOrDefault(x => x.Id == building);
        if (b is null)
        {
            return NotFound($"no building \"{QueryInput.Clip(building)}\" in the site");
        }

        if (b.WeatherStation is null)
        {
            return Bad("building", $"{building} names no weatherStation in the site file: its use cannot be weather-normalised");
        }

        var q = request.Query;
        var kindText = q["kind"].Count == 0 ? "electricity" : q["kind"].ToString();
        if (!EnergyKinds.TryParse(kindText, out var kind) || !EnergyKinds.Consumed.Contains(kind))
        {
            return Bad("kind", $"\"{QueryInput.Clip(kindText)}\" is not an energy kind such as electricity, natural-gas, heat, water");
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone).DateTime);
        DateOnly rFirst = today.AddDays(-30), rLast = today.AddDays(-1);
        if (q["reporting"].Count > 0 && !QueryInput.TryDayRange(q["reporting"], out rFirst, out rLast, out var whyReporting))
        {
            return Bad("reporting", whyReporting);
        }

        DateOnly bFirst = rFirst.AddDays(-365), bLast = rFirst.AddDays(-1);
        if (q["baseline"].Count > 0 && !QueryInput.TryDayRange(q["baseline"], out bFirst, out bLast, out var whyBaseline))
        {
            return Bad("baseline", whyBaseline);
        }

        if (bLast >= rFirst)
        {
            return Bad("baseline", "must end before the reporting period starts");
        }

        var a = await assessment.AssessAsync(building, kind, new DayRange(bFirst, bLast), new DayRange(rFirst, rLast), cancellationToken).ConfigureAwait(false);
        var model = a.Result.Model;
        return TypedResults.Ok(new AssessmentDto(building, EnergyKinds.ConfigName(kind), a.WeatherStation, $"{bFirst:yyyy-MM-dd}..{bLast:yyyy-MM-dd}", $"{rFirst:yyyy-MM-dd}..{rLast:yyyy-MM-dd}",
            model?.Type.ToString(), model?.Fit.R2, model?.Fit.CvRmse, model?.Fit.Nmbe, model?.Fit.PassesGuideline14 ?? false,
            a.Savings?.Predicted, a.Savings?.Actual, a.Savings?.Avoided, a.Savings?.Fraction, a.Savings?.FractionalUncertainty,
            [.. a.Result.Sufficiency.Reasons.Select(r => r.In(Language(request))), .. a.Notes.Select(n => n.In(Language(request)))])
        {
            Days = [.. a.ReportingDays.Select(d => new AssessmentDayDto(d.Day, d.Actual, d.Predicted))],
        });
    }
}
