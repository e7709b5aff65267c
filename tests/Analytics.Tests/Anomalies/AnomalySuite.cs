using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Analytics.Tests.Anomalies;

/// <summary>The anomaly planted in a generated case, or none.</summary>
public enum Planted
{
    None,
    Silent,
    GatewayOffline,
    Stuck,
    Spike,
    Rejected,
    Reset,
    Leak,
    NightBaseload,
    DayOffBaseload,
    Imbalance,
    Budget,
}

/// <summary>
/// Generated sites for the anomaly rules: one office building with a main feeder (p) and two sub-meters (c1 lighting,
/// c2 air conditioning), a water meter, 35 days of hourly rollups with weekday/weekend/holiday shapes, a slow
/// seasonal drift, ±10 % noise and the occasional one-night drip; each case plants one anomaly or none.
/// </summary>
public static class AnomalySuite
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static AnomalyInput Generate(Planted planted, int seed, HolidayCalendar calendar)
    {
        var random = new Random(seed);

        // The pass runs at 07:00 the morning after the last complete day; a day-off case makes that day a Saturday.
        var lastDay = new DateOnly(2025, 3, 3).AddDays(random.Next(0, 250));
        if (planted == Planted.DayOffBaseload)
        {
            while (calendar.IsWorkingDay(lastDay))
            {
                lastDay = lastDay.AddDays(1);
            }
        }

        if (planted == Planted.Budget && lastDay.Day < 5)
        {
            lastDay = lastDay.AddDays(5); // the budget is forecast from the fifth day of a month
        }

        var asOf = Local(lastDay.AddDays(1), 7);
        var first = lastDay.AddDays(-34);
        var scale = 20 + (random.NextDouble() * 200); // kWh at a busy hour
        var drift = random.NextDouble() * 0.4;
        var hourly = new Dictionary<string, List<RollupRow>> { ["p"] = [], ["c1"] = [], ["c2"] = [], ["w"] = [] };
        var silentFrom = asOf.AddHours(-(planted is Planted.Silent or Planted.GatewayOffline ? 3 + random.Next(0, 30) : 0));
        var stuckFrom = asOf.AddHours(-(8 + random.Next(0, 24)));
        var leakNights = 3 + random.Next(0, 8);
        var leakFlow = 0.03 + (random.NextDouble() * 0.3);
        var extra = 0.4 + (random.NextDouble() * 0.6);
        var spikeHour = asOf.AddHours(-(2 + random.Next(0, 20)));
        var dripNight = first.AddDays(5 + random.Next(0, 25));

        for (var t = Local(first, 0); t.AddHours(1) <= asOf; t = t.AddHours(1))
        {
            var local = TimeZoneInfo.ConvertTime(t, Zone).DateTime;
            var day = DateOnly.FromDateTime(local);
            var season = 1 + (drift * (day.DayNumber - first.DayNumber) / 35.0);
            var working = calendar.IsWorkingDay(day);
            var busy = working && local.Hour is >= 8 and < 18;
            var activity = busy ? 1.0 : working && local.Hour is 7 or 18 or 19 ? 0.5 : 0.2;
            double Noise() => 0.9 + (0.2 * random.NextDouble());
            var c1 = scale * 0.4 * activity * Noise();
            var c2 = scale * 0.35 * activity * season * Noise();
            var own = scale * 0.25 * (0.6 + (0.4 * activity)) * Noise();
            var flags = IntervalFlags.None;
            var rejected = 0.0;

            if (planted == Planted.NightBaseload && day == lastDay && local.Hour < 5)
            {
                c2 += scale * 0.35 * extra; // the air conditioning left running overnight
            }

            if (planted == Planted.DayOffBaseload && day == lastDay && local.Hour is >= 8 and < 18)
            {
                c2 += scale * 0.35 * (0.8 + extra); // a weekend with the air conditioning on all day
            }

            if (planted == Planted.Imbalance && day >= lastDay.AddDays(-1))
            {
                own += scale * 0.35 * extra; // an unmetered load appears on the feeder
            }

            if (planted == Planted.Spike && t == spikeHour)
            {
                c2 = scale * 0.35 * 3 * (4 + random.NextDouble() * 4);
            }

            if (planted == Planted.Rejected && t == spikeHour)
            {
                rejected = scale * 500;
                flags |= IntervalFlags.SpikeRejected;
            }

            var c1Flags = planted == Planted.Reset && t == spikeHour ? IntervalFlags.Reset | IntervalFlags.Estimated : IntervalFlags.None;
            var c1Recorded = planted == Planted.Stuck && t >= stuckFrom ? 0 : c1;
            var offline = (planted == Planted.Silent && t >= silentFrom) || (planted == Planted.GatewayOffline && t >= silentFrom);
            if (!offline)
            {
                hourly["c1"].Add(Row("c1", t, c1Recorded, c1Flags));
            }

            if (!(planted == Planted.GatewayOffline && t >= silentFrom))
            {
                hourly["c2"].Add(Row("c2", t, c2, flags, rejected));
            }

            hourly["p"].Add(Row("p", t, c1 + c2 + own, IntervalFlags.None));

            // Water: use by day, none at night but for the odd one-night drip of a tap.
            var night = local.Hour is >= 1 and < 5;
            var water = night ? 0 : 0.2 * activity * scale / 50 * Noise();
            if (night && day == dripNight)
            {
                water += 0.05;
            }

            if (planted == Planted.Leak && day > lastDay.AddDays(-leakNights + 1) && day <= lastDay.AddDays(1))
            {
                water += leakFlow;
            }

            hourly["w"].Add(Row("w", t, water, IntervalFlags.None));
        }

        hourly["building/b/electricity"] = hourly["p"];
        var last = new Dictionary<MeterId, DateTimeOffset>();
        foreach (var id in new[] { "p", "c1", "c2", "w" })
        {
            last[new MeterId(id)] = hourly[id].Count > 0 ? hourly[id][^1].Start.AddMinutes(45) : asOf.AddDays(-35);
        }

        // Budget: a quota that this month's use fits comfortably, or one it outruns.
        var monthUse = hourly["p"].Where(r => r.Start >= asOf.AddDays(-30)).Sum(r => r.Amount) * 0.1229;
        var quota = planted == Planted.Budget ? monthUse * 12 * 0.6 : monthUse * 12 * 2.0;
        var site = Site(quota);
        var daily = hourly["p"].GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.Start, Zone).DateTime))
            .Select(g => new RollupRow("institution/i/electricity", RollupPeriod.Day, Local(g.Key, 0), g.Sum(r => r.Amount), 0, 0, IntervalFlags.None, 96)).ToList();
        return new AnomalyInput(site, asOf,
            hourly.ToDictionary(h => h.Key, h => (IReadOnlyList<RollupRow>)h.Value),
            new Dictionary<string, IReadOnlyList<RollupRow>> { ["institution/i/electricity"] = daily },
            last, calendar, CoefficientCatalog.Defaults.For(2025, "320117"), new AnomalyOptions());
    }

    /// <summary>What a planted anomaly must raise: the rule and the subject.</summary>
    public static (string Rule, string Subject)? Expected(Planted planted) => planted switch
    {
        Planted.None => null,
        Planted.Silent => ("silent", "c1"),
        Planted.GatewayOffline => ("gateway-offline", "gw"),
        Planted.Stuck => ("stuck", "c1"),
        Planted.Spike or Planted.Rejected => ("spike", "c2"),
        Planted.Reset => ("counter-fault", "c1"),
        Planted.Leak => ("night-leak", "w"),
        // Planted on the air-conditioning circuit c2: the rule names the circuit, the building's figures its evidence.
        Planted.NightBaseload => ("night-baseload", "c2"),
        Planted.DayOffBaseload => ("dayoff-baseload", "c2"),
        Planted.Imbalance => ("submeter-imbalance", "p"),
        Planted.Budget => ("budget", "institution/i/budget"),
        _ => throw new ArgumentOutOfRangeException(nameof(planted)),
    };

    private static RollupRow Row(string series, DateTimeOffset t, double amount, IntervalFlags flags, double rejected = 0) =>
        new(series, RollupPeriod.Hour, t, amount, 0, rejected, flags, 4);

    public static DateTimeOffset Local(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(8));

    private static SiteModel Site(double quotaKgce)
    {
        static Meter M(string id, EnergyKind kind, string item, string? parent, MeterSource source) =>
            new(new MeterId(id), id, kind, ItemCodes.TryFind(item, out var code) ? code : null, EnergyKinds.CanonicalUnit(kind), Multiplier.One, ReadingMode.Cumulative,
                TimeSpan.FromMinutes(15), null, null, parent is null ? null : new MeterId(parent), [], source);

        var building = new Building("b", "320117A001", "主楼", new Quantity<SquareMetre>(10_000), ClimateZone.HotSummerColdWinter, 'B',
        [
            M("p", EnergyKind.Electricity, "01000", null, new ModbusSource("gw-main", 1, "t")),
            M("c1", EnergyKind.Electricity, "01A00", "p", new ModbusSource("gw", 2, "t")),
            M("c2", EnergyKind.Electricity, "01B00", "p", new ModbusSource("gw", 3, "t")),
            M("w", EnergyKind.Water, "02000", null, new MqttSource("w", null)),
        ]);
        var institution = new Institution("i", "机关", "11320117MB0123456D", "01", [], new Targets(2020, 2025, AnnualEnergyQuota: new Quantity<Kgce>(quotaKgce)), [building]);
        return new SiteModel("suite", new Region("320117", "溧水区", Zone), [], [institution]);
    }
}
