using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EnergyMonitor.Web.Api;

/// <summary>/site: the site tree, and the series the API answers for.</summary>
internal static class SiteEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/site", (SiteModel site) => TypedResults.Ok(Site(site))).WithName("site").WithSummary("The site tree: institutions, buildings, meters and the series each building rolls up into.");
    }

    public static SiteDto Site(SiteModel site)
    {
        var groups = SeriesGroups.For(site).Select(g => g.Series).ToList();
        return new SiteDto(site.Name, new RegionDto(site.Region.Code, site.Region.Name, site.Region.TimeZone.Id),
            [.. site.Institutions.Select(i => new InstitutionDto(i.Id, i.Name, i.NatureCode, [.. i.Buildings.Select(b => new BuildingDto(b.Id, b.Code, b.Name, b.FloorArea.Value, b.WeatherStation,
                [.. b.Meters.Select(m => new MeterDto(m.Id.Value, m.Name, EnergyKinds.ConfigName(m.Kind), m.Unit.Symbol, m.Item?.Code, m.Parent?.Value, SourceOf(m)))],
                [.. groups.Where(g => g.StartsWith(SeriesKey.GroupPrefix(SeriesScope.Building, b.Id), StringComparison.Ordinal))]))]))],
            [.. site.Gateways.Select(g => new GatewayDto(g.Id, g.Host, g.Port, g.Transport.ToString().ToLowerInvariant()))]);
    }

    private static string SourceOf(Meter m) => m.Source switch
    {
        ModbusSource s => $"modbus/{s.Gateway}/{s.UnitId}",
        MqttSource q => $"mqtt:{q.Topic}",
        _ => "manual",
    };

    /// <summary>Every series the API answers for: each meter's, and each group's of <see cref="SeriesGroups"/>.</summary>
    public static IReadOnlySet<string> KnownSeries(SiteModel site) =>
        site.Meters.Select(m => m.Id.Value).Concat(SeriesGroups.For(site).Select(g => g.Series)).ToHashSet(StringComparer.Ordinal);
}
