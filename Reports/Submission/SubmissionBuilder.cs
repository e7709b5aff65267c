using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Costs;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Reports.Submission;

/// <summary>The form's energies in order, with the codes and units they are reported in (units configurable per edition [U]).</summary>
public static class FormEnergies
{
    public static IReadOnlyList<(string Code, string Name, EnergyKind Kind, string Unit, double PerCanonical)> All { get; } =
    [
        ("01", "电力", EnergyKind.Electricity, "千瓦时", 1),
        ("02", "水", EnergyKind.Water, "吨", 1),
        ("03", "原煤", EnergyKind.Coal, "吨", 1),
        ("04", "天然气", EnergyKind.NaturalGas, "立方米", 1),
        ("05", "液化石油气", EnergyKind.Lpg, "千克", 1),
        ("06", "汽油", EnergyKind.Gasoline, "升", 1),
        ("07", "柴油", EnergyKind.Diesel, "升", 1),
        ("08", "热力", EnergyKind.Heat, "吉焦", 1),
    ];
}

/// <summary>
/// Builds each institution's submission for a year from the daily rollups of its kind series, the coefficient set of
/// the year, the tariffs (金额) and the site's facts. A year not over is built to date (the draft in January is the
/// previous year's).
/// </summary>
public sealed class SubmissionBuilder(SiteModel site, IConsumptionStore rollups, CoefficientCatalog catalog, TariffBook tariffs)
{
    public async Task<InstitutionSubmission> BuildAsync(Institution institution, int year, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var from = RollupPeriods.Local(new DateTime(year - 1, 1, 1), zone);
        var start = RollupPeriods.Local(new DateTime(year, 1, 1), zone);
        var end = RollupPeriods.Local(new DateTime(year + 1, 1, 1), zone);
        var series = EnergyKinds.Consumed.ToDictionary(k => SeriesGroups.Kind(SeriesScope.Institution, institution.Id, k));
        // 01D10: the data centre's electricity (信息机房), which the form reports on its own line.
        var dataCentre = ItemCodes.TryFind("01D10", out var dataCentreItem) ? SeriesKey.Of(SeriesScope.Institution, institution.Id, dataCentreItem).Text : throw new InvalidOperationException("item 01D10 is in docs/DOMAIN.md");
        var days = await rollups.RollupsAsync([.. series.Keys, dataCentre], RollupPeriod.Day, from, end, cancellationToken).ConfigureAwait(false);
        var set = catalog.For(year, site.Region.Code);
        var energy = new List<EnergyRow>();
        foreach (var (code, name, kind, unit, factor) in FormEnergies.All)
        {
            var key = SeriesGroups.Kind(SeriesScope.Institution, institution.Id, kind);
            var now = days.Where(r => r.Series == key && r.Start >= start).ToList();
            var last = days.Where(r => r.Series == key && r.Start < start).ToList();
            if (now.Count == 0 && last.Count == 0)
            {
                continue;
            }

            // Last year is compared only where the rollups cover it (a year metered from October is no basis for a change).
            var lastCovered = last.Count >= (start - from).TotalDays * 0.9;
            energy.Add(new EnergyRow(code, name, kind, unit, now.Sum(r => r.Amount) * factor, tariffs.Cost(kind, now, zone, out _), lastCovered ? last.Sum(r => r.Amount) * factor : null));
        }

        var it = days.Where(r => r.Series == dataCentre && r.Start >= start).ToList();
        var facts = institution.FactsFor(year);
        var heat = energy.FirstOrDefault(e => e.Kind == EnergyKind.Heat);
        var kgce = energy.Sum(e => (set.Kgce(e.Kind)?.PerUnit ?? 0) * e.Quantity);
        var amount = days.Where(r => r.Start >= start && series.ContainsKey(r.Series)).Sum(r => r.Amount);
        var estimated = days.Where(r => r.Start >= start && series.ContainsKey(r.Series)).Sum(r => r.Estimated);
        var water = energy.FirstOrDefault(e => e.Kind == EnergyKind.Water)?.Quantity;
        var nature = Core.Site.InstitutionNature.Codes.TryGetValue(institution.NatureCode, out var n) ? n.Zh : "";
        var basic = new BasicInfo(institution.CreditCode, institution.Name, institution.NatureCode, nature, facts?.FloorArea.Value, facts?.Occupants, facts?.StaffEstablishment,
            facts?.Vehicles, facts?.VehiclesByFuel?.Gasoline, facts?.VehiclesByFuel?.Diesel, facts?.VehiclesByFuel?.NewEnergy, facts?.VehiclesByFuel?.Other)
        {
            Department = institution.Department,
        };
        return new InstitutionSubmission(InstitutionSubmission.CurrentVersion, InstitutionSubmission.CurrentEdition, year, site.Region.Code, institution.Id, basic, energy,
            it.Count > 0 ? new DataCentre(it.Sum(r => r.Amount), tariffs.Cost(EnergyKind.Electricity, it, zone, out _)) : null,
            heat is not null ? new Heating(heat.Quantity, heat.AmountYuan, facts?.HeatedArea) : null,
            kgce,
            facts is { FloorArea.Value: > 0 } f1 ? kgce / f1.FloorArea.Value : null,
            facts is { Occupants: > 0 } f2 ? kgce / f2.Occupants : null,
            facts is { Occupants: > 0 } f3 && water is { } w ? w / f3.Occupants : null,
            amount > 0 ? estimated / amount : 0,
            set.Id);
    }

    /// <summary>Each kind's year summed from the daily rollups and from the monthly ones: the review's tie-out.</summary>
    public async Task<IReadOnlyList<(EnergyKind Kind, double FromDays, double FromMonths)>> TieOutAsync(Institution institution, int year, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var start = RollupPeriods.Local(new DateTime(year, 1, 1), zone);
        var end = RollupPeriods.Local(new DateTime(year + 1, 1, 1), zone);
        var series = EnergyKinds.Consumed.ToDictionary(k => SeriesGroups.Kind(SeriesScope.Institution, institution.Id, k));
        var days = await rollups.RollupsAsync(series.Keys, RollupPeriod.Day, start, end, cancellationToken).ConfigureAwait(false);
        var months = await rollups.RollupsAsync(series.Keys, RollupPeriod.Month, start, end, cancellationToken).ConfigureAwait(false);
        return [.. series.Where(s => days.Any(r => r.Series == s.Key) || months.Any(r => r.Series == s.Key))
            .Select(s => (s.Value, days.Where(r => r.Series == s.Key).Sum(r => r.Amount), months.Where(r => r.Series == s.Key).Sum(r => r.Amount)))];
    }
}
