using System.Globalization;
using EnergyMonitor.Core.Site;
using Microsoft.AspNetCore.Http;

namespace EnergyMonitor.Web.Queries;

/// <summary>
/// The years the yearly pages and endpoints answer for (rankings, scorecards, the submission): from 2000 to the year
/// under way in the site's zone, the last full year when none is asked for. One rule for the pages and the API.
/// </summary>
public sealed class SiteYears(SiteModel site, TimeProvider time)
{
    public const int First = 2000;

    public int Current => TimeZoneInfo.ConvertTime(time.GetUtcNow(), site.TimeZone).Year;

    /// <summary>The last full year: the one a submission is due for and a scorecard judges.</summary>
    public int LastFull => Current - 1;

    public bool Allows(int year) => year >= First && year <= Current;

    /// <summary>What a refused year should have been, for a 400's detail.</summary>
    public string Expected => $"a year from {First} to {Current}";

    /// <summary>The years a page offers: this one and the five before, newest first.</summary>
    public IReadOnlyList<int> Recent => [.. Enumerable.Range(Current - 5, 6).Reverse()];

    /// <summary>The page's ?year= when it is one of these years; otherwise the last full year.</summary>
    public int Of(HttpContext context) =>
        int.TryParse(context.Request.Query["year"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && Allows(year) ? year : LastFull;
}
