using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Analytics.Indicators;

/// <summary>Computes <see cref="InstitutionIndicators"/> from monthly and daily rollups. Pure: rollups in, indicators out.</summary>
public static class IndicatorCalculator
{
    /// <param name="daily">The institution's daily kind rollups (series <c>institution/{id}/{kind}</c>) covering the base year, last year and this year.</param>
    public static InstitutionIndicators Compute(SiteModel site, Institution institution, DateTimeOffset through, IReadOnlyList<RollupRow> daily, CoefficientCatalog catalog)
    {
        var zone = site.TimeZone;
        // The year and month are those of the last instant counted: through 1 January 2026 00:00 is the whole of 2025,
        // not an empty 2026 (the annual scorecard of a past year asks exactly that).
        var lastInstant = through.AddTicks(-1);
        var local = TimeZoneInfo.ConvertTime(lastInstant, zone);
        var year = local.Year;
        var notes = new List<LocalizedText>();
        var set = catalog.For(year, site.Region.Code);

        var current = Use(institution, daily, YearStart(year, zone), through);
        var converted = EnergyConversion.Convert(current.ByKind, set);
        notes.AddRange(converted.WithoutKgceFactor.Select(k => new LocalizedText(
            $"{EnergyKinds.DisplayName(k).Zh}在折标系数 {set.Id} 中没有折标煤系数，未计入", $"{EnergyKinds.ConfigName(k)} has no standard-coal factor in {set.Id} and is not counted")));

        var facts = institution.FactsFor(year);
        if (facts is null)
        {
            notes.Add(new($"{year} 年没有基本情况（建筑面积、用能人数）：不计算人均和单位面积指标", $"no facts (floor area, occupants) for {year}: per-person and per-m² indicators are left out"));
        }

        var area = facts?.FloorArea ?? new Quantity<SquareMetre>(0);
        var people = facts?.Occupants ?? 0;
        var water = new Quantity<CubicMetre>(current.ByKind.GetValueOrDefault(EnergyKind.Water));

        // Year on year: the same span of last year, converted with last year's set.
        var span = through - YearStart(year, zone);
        var lastYear = Use(institution, daily, YearStart(year - 1, zone), YearStart(year - 1, zone) + span);
        double? lastKgce = lastYear.Days > 0 ? EnergyConversion.Convert(lastYear.ByKind, catalog.TryFor(year - 1, site.Region.Code) ?? set).Kgce.Value : null;

        // Month on month: this month so far against the same days of last month.
        var monthStart = RollupPeriods.Start(RollupPeriod.Month, lastInstant, zone);
        var previousMonthStart = RollupPeriods.Start(RollupPeriod.Month, monthStart.AddTicks(-1), zone);
        var thisMonth = EnergyConversion.Convert(Use(institution, daily, monthStart, through).ByKind, set).Kgce.Value;
        var lastMonth = EnergyConversion.Convert(Use(institution, daily, previousMonthStart, previousMonthStart + (through - monthStart)).ByKind, set).Kgce.Value;

        var targets = new List<TargetAttainment>();
        void Add(TargetAttainment? attainment)
        {
            if (attainment is null)
            {
                return;
            }

            targets.Add(attainment);
        }

        if (institution.Targets is { } t)
        {
            var baseUse = Use(institution, daily, YearStart(t.BaseYear, zone), YearStart(t.BaseYear, zone) + span);
            var baseFacts = institution.FactsFor(t.BaseYear);
            if (baseUse.Days == 0 && baseFacts is { ReportedEnergyKgce: { } reportedKgce })
            {
                // Metering began after the base year: its reported totals stand in, scaled to the span compared, with
                // CO2 left out (the reported figure is standard coal only).
                var share = span.TotalDays / (YearStart(t.BaseYear + 1, zone) - YearStart(t.BaseYear, zone)).TotalDays;
                var baseKgce = new Quantity<Kgce>(reportedKgce * share);
                notes.Add(new($"基准年 {t.BaseYear} 没有监测数据：采用其上报总量（全年 {reportedKgce:N0} kgce，按比较期间取 {share:P0}）",
                    $"base year {t.BaseYear} has no rollups: its reported totals are used ({reportedKgce:N0} kgce for the year, {share:P0} of it for the span compared)"));
                Add(Indicators.Attainment(IndicatorId.EnergyPerArea, Indicators.EnergyPerArea(baseKgce, baseFacts.FloorArea), Indicators.EnergyPerArea(converted.Kgce, area), t.EnergyPerArea));
                Add(Indicators.Attainment(IndicatorId.EnergyPerPerson, Indicators.EnergyPerPerson(baseKgce, baseFacts.Occupants), Indicators.EnergyPerPerson(converted.Kgce, people), t.EnergyPerPerson));
                if (baseFacts.ReportedWaterCubicMetres is { } reportedWater)
                {
                    Add(Indicators.Attainment(IndicatorId.WaterPerPerson, Indicators.WaterPerPerson(new Quantity<CubicMetre>(reportedWater * share), baseFacts.Occupants), Indicators.WaterPerPerson(water, people), t.WaterPerPerson));
                }
            }
            else if (baseUse.Days == 0 || baseFacts is null)
            {
                notes.Add(new($"基准年 {t.BaseYear} 没有{(baseUse.Days == 0 ? "监测数据" : "基本情况")}：无法评价目标完成情况", $"base year {t.BaseYear} has no {(baseUse.Days == 0 ? "rollups" : "facts")}: targets cannot be assessed"));
            }
            else
            {
                var baseSet = catalog.TryFor(t.BaseYear, site.Region.Code) ?? set;
                if (baseSet == set && t.BaseYear != year)
                {
                    notes.Add(new($"没有适用于基准年 {t.BaseYear} 的折标系数，按 {set.Id} 折算", $"no coefficient set covers the base year {t.BaseYear}; it is converted with {set.Id}"));
                }

                var baseConverted = EnergyConversion.Convert(baseUse.ByKind, baseSet);
                var baseWater = new Quantity<CubicMetre>(baseUse.ByKind.GetValueOrDefault(EnergyKind.Water));
                Add(Indicators.Attainment(IndicatorId.EnergyPerArea, Indicators.EnergyPerArea(baseConverted.Kgce, baseFacts.FloorArea), Indicators.EnergyPerArea(converted.Kgce, area), t.EnergyPerArea));
                Add(Indicators.Attainment(IndicatorId.EnergyPerPerson, Indicators.EnergyPerPerson(baseConverted.Kgce, baseFacts.Occupants), Indicators.EnergyPerPerson(converted.Kgce, people), t.EnergyPerPerson));
                Add(Indicators.Attainment(IndicatorId.WaterPerPerson, Indicators.WaterPerPerson(baseWater, baseFacts.Occupants), Indicators.WaterPerPerson(water, people), t.WaterPerPerson));
                Add(Indicators.Attainment(IndicatorId.Co2PerArea, Indicators.Co2PerArea(baseConverted.Co2, baseFacts.FloorArea), Indicators.Co2PerArea(converted.Co2, area), t.Co2PerArea));
            }
        }

        QuotaProgress? quota = null;
        if (institution.Targets?.AnnualEnergyQuota is { } annual)
        {
            var nextMonth = RollupPeriods.Next(RollupPeriod.Month, monthStart, zone);
            quota = Indicators.Quota(thisMonth, annual.Value / 12, through - monthStart, nextMonth - monthStart);
        }

        return new InstitutionIndicators(
            institution.Id, year, through, set.Id,
            current.ByKind.ToDictionary(k => EnergyKinds.ConfigName(k.Key), k => k.Value),
            current.ByKind.ToDictionary(k => EnergyKinds.ConfigName(k.Key), k => k.Value > 0 ? current.EstimatedByKind.GetValueOrDefault(k.Key) / k.Value : 0),
            converted.Kgce.Value, converted.Co2.Value,
            Indicators.EnergyPerPerson(converted.Kgce, people),
            Indicators.EnergyPerArea(converted.Kgce, area),
            Indicators.WaterPerPerson(water, people),
            Indicators.Co2PerArea(converted.Co2, area),
            Change.Between(converted.Kgce.Value, lastKgce).Fraction,
            Change.Between(thisMonth, lastMonth).Fraction,
            targets, quota, notes);
    }

    /// <summary>Use per kind, and the estimated part per kind: kWh and m³ never add up to one share.</summary>
    private sealed record Totals(Dictionary<EnergyKind, double> ByKind, Dictionary<EnergyKind, double> EstimatedByKind, int Days);

    private static Totals Use(Institution institution, IReadOnlyList<RollupRow> daily, DateTimeOffset from, DateTimeOffset to)
    {
        var kinds = Enum.GetValues<EnergyKind>().ToDictionary(k => SeriesGroups.Kind(SeriesScope.Institution, institution.Id, k), StringComparer.Ordinal);
        var byKind = new Dictionary<EnergyKind, double>();
        var estimated = new Dictionary<EnergyKind, double>();
        var days = 0;
        foreach (var row in daily)
        {
            if (row.Start >= from && row.Start < to && kinds.TryGetValue(row.Series, out var kind))
            {
                byKind[kind] = byKind.GetValueOrDefault(kind) + row.Amount;
                estimated[kind] = estimated.GetValueOrDefault(kind) + row.Estimated;
                days++;
            }
        }

        return new Totals(byKind, estimated, days);
    }

    private static DateTimeOffset YearStart(int year, TimeZoneInfo zone) => RollupPeriods.Local(new DateTime(year, 1, 1), zone);
}
