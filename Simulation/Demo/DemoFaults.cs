using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Simulation.Demo;

/// <summary>The demo's planted faults: where they go in the history, and what in the store caught each one.</summary>
public static class DemoFaults
{
    /// <summary>The faults planted from the history's end, so that the alert passes of the last three weeks meet them.</summary>
    public static List<PlantedFault> Plant(SiteModel site, DateOnly end, int days, Analytics.Anomalies.HolidayCalendar calendar)
    {
        var faults = new List<PlantedFault>();
        if (days < 30)
        {
            return faults;
        }

        Meter? Find(string id) => site.Meters.FirstOrDefault(m => m.Id.Value == id);
        if (site.Meters.FirstOrDefault(m => m.Kind == EnergyKind.Water && m.Parent is null) is { } water)
        {
            faults.Add(new PlantedLeak(water.Id.Value, end.AddDays(-12), 5, 0.25));
        }

        if (Find("hos-chiller") is { } chiller)
        {
            faults.Add(new PlantedStuck(chiller.Id.Value, end.AddDays(-9).ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(48)));
        }

        if (Find("adm-main-ac") is { } ac)
        {
            var saturday = end.AddDays(-3);
            while (saturday.DayOfWeek != DayOfWeek.Saturday || calendar.IsWorkingDay(saturday) || calendar.IsWorkingDay(saturday.AddDays(1)))
            {
                saturday = saturday.AddDays(-1);
            }

            // Left on as on a working day, day and night: the circuit's mean power in the working hours of the week
            // before, at least 60 kW. A fixed 60 kW was lost in a cold snap (26 December), when the circuit's own
            // weekends ran near its working days.
            var profile = new SimulatedSite(site, 0, calendar);
            var hours = Enumerable.Range(1, 7).Select(d => saturday.AddDays(-d)).Where(calendar.IsWorkingDay)
                .SelectMany(d => Enumerable.Range(8, 10).Select(h => d.ToDateTime(new TimeOnly(h, 30)))).ToList();
            var kw = hours.Count == 0 ? 60 : Math.Max(60, hours.Average(h => profile.RatePerHour(ac.Id, new DateTimeOffset(h, site.TimeZone.GetUtcOffset(h)))));
            faults.Add(new PlantedWeekendLoad(ac.Id.Value, saturday, Math.Round(kw)));
        }

        if (site.Gateways.FirstOrDefault(g => g.Id == "gw-school") is { } gateway)
        {
            var meters = site.Meters.Where(m => m.Source is ModbusSource s && s.Gateway == gateway.Id).Select(m => m.Id.Value).ToHashSet(StringComparer.Ordinal);
            faults.Add(new PlantedGatewayOutage(gateway.Id, meters, end.AddDays(-5).ToDateTime(new TimeOnly(2, 0)), TimeSpan.FromHours(6)));
        }

        if (Find("adm-main-power") is { } power)
        {
            faults.Add(new PlantedSpike(power.Id.Value, end.AddDays(-4).ToDateTime(new TimeOnly(10, 0))));
        }

        if (site.Meters.FirstOrDefault(m => m.RolloverAt is not null) is { } small)
        {
            faults.Add(new PlantedRollover(small.Id.Value, end.AddDays(-days).ToDateTime(TimeOnly.MinValue), end.ToDateTime(TimeOnly.MinValue)));
        }

        return faults;
    }

    /// <summary>What caught each planted fault: an alert of the expected rule on it, or the consumption flags it left.</summary>
    public static async Task<List<(PlantedFault Fault, string? CaughtBy)>> CaughtAsync(SiteModel site, IReadOnlyList<PlantedFault> faults, IReadOnlyList<Alert> alerts, IConsumptionStore store,
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        DateTimeOffset Utc(DateTime local) => new(local, zone.GetUtcOffset(local));
        async Task<string?> Flagged(string meter, DateTime fromLocal, DateTime toLocal, IntervalFlags flags)
        {
            var intervals = await store.IntervalsAsync(new MeterId(meter), Utc(fromLocal).AddHours(-1), Utc(toLocal).AddHours(1), cancellationToken).ConfigureAwait(false);
            var hit = intervals.Where(i => (i.Flags & flags) != 0).ToList();
            return hit.Count == 0 ? null : $"{hit.Count} intervals of {meter} flagged {string.Join("+", Enum.GetValues<IntervalFlags>().Where(f => f != 0 && hit.Any(i => (i.Flags & f) != 0)))}";
        }

        var result = new List<(PlantedFault, string?)>();
        foreach (var fault in faults)
        {
            string? Alert(Func<Alert, bool> match) => alerts.FirstOrDefault(match) is { } a ? $"alert #{a.Id} {a.Finding.Rule} ({a.Finding.Severity.ToString().ToLowerInvariant()}, {TimeZoneInfo.ConvertTime(a.OpenedAt, zone):MM-dd HH:mm})" : null;
            var caught = fault switch
            {
                PlantedLeak leak => Alert(a => a.Finding.Rule == "night-leak" && a.Finding.Meter == leak.Meter),
                PlantedWeekendLoad load => Alert(a => a.Finding.Rule is "dayoff-baseload" or "night-baseload" && (a.Finding.Meter == load.Meter || a.Finding.Building == BuildingOf(site, load.Meter))
                    && a.OpenedAt >= Utc(load.Window.From) && a.OpenedAt <= Utc(load.Window.To).AddDays(2)),
                PlantedStuck stuck => Alert(a => a.Finding.Rule == "stuck" && a.Finding.Meter == stuck.Meter)
                    ?? await Flagged(stuck.Meter, stuck.Window.From, stuck.Window.To, IntervalFlags.Stuck).ConfigureAwait(false),
                PlantedGatewayOutage outage => Alert(a => a.Finding.Rule is "gateway-offline" && a.Finding.Subject.Contains(outage.Gateway, StringComparison.Ordinal))
                    ?? await Flagged(outage.Meters.Order(StringComparer.Ordinal).First(), outage.Window.From, outage.Window.To, IntervalFlags.Estimated | IntervalFlags.LongGap).ConfigureAwait(false),
                PlantedSpike spike => Alert(a => a.Finding.Rule is "spike" or "counter-fault" && a.Finding.Meter == spike.Meter)
                    ?? await Flagged(spike.Meter, spike.Window.From, spike.Window.To, IntervalFlags.SpikeRejected | IntervalFlags.Unavailable).ConfigureAwait(false),
                PlantedReplacement exchange => await Flagged(exchange.Meter, exchange.Window.From, exchange.Window.To, IntervalFlags.Replacement).ConfigureAwait(false),
                PlantedRollover wrap => await Flagged(wrap.Meter, wrap.Window.From, wrap.Window.To, IntervalFlags.Rollover).ConfigureAwait(false),
                _ => null,
            };
            result.Add((fault, caught));
        }

        return result;
    }

    private static string? BuildingOf(SiteModel site, string meter) => site.Buildings.FirstOrDefault(b => b.Meters.Any(m => m.Id.Value == meter))?.Id;
}
