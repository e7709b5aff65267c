using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests.Analytics;

/// <summary>The consumption pass over the embedded store: change marks, incremental recomputation, rollups, groups.</summary>
public sealed class ConsumptionEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 0, 0, 0, Beijing);
    private readonly string _dir = Directory.CreateTempSubdirectory("em-consumption-").FullName;
    private SqliteDatabase? _database;
    private SqliteReadingStore? _readings;
    private SqliteConsumptionStore? _store;
    private SiteModel? _site;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(_dir, "em.db") }, Ct);
        _readings = new SqliteReadingStore(_database);
        _store = new SqliteConsumptionStore(_database);
        _site = LoadSite("main - children(main)").Require();
    }

    public ValueTask DisposeAsync()
    {
        _readings?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>The test site, with a virtual meter for the supply no sub-meter measures.</summary>
    private static EnergyMonitor.Site.SiteLoadResult LoadSite(string formula)
    {
        var yaml = SiteFixture.Yaml("", """
            - { id: main, name: main, kind: electricity, item: "01000" }
            - { id: light, name: light, kind: electricity, item: 01A00, parent: main }
            - { id: water, name: water, kind: water }
            """) + $"\n        virtualMeters:\n          - {{ id: unmetered, name: 未计量, kind: electricity, formula: \"{formula}\" }}\n";
        return EnergyMonitor.Site.SiteConfigLoader.LoadText(yaml, "site.yaml", DateTimeOffset.UtcNow);
    }

    private ConsumptionEngine Engine() => new(_site!, _readings!, _store!, new ConsumptionOptions());

    /// <summary>Counters every 15 minutes: main +4 kWh, light +1 kWh, water +0.1 m³ per interval, over <paramref name="days"/> days.</summary>
    private async Task WriteAsync(DateTimeOffset from, int days, Func<DateTimeOffset, bool>? skip = null)
    {
        var batch = new List<Reading>();
        for (var k = 0; k <= days * 96; k++)
        {
            var t = from.AddMinutes(15 * k);
            if (skip?.Invoke(t) == true)
            {
                continue;
            }

            var n = (t - Day1).TotalMinutes / 15;
            batch.Add(new Reading(new MeterId("main"), t, 1000 + (4 * n)));
            batch.Add(new Reading(new MeterId("light"), t, 200 + n));
            batch.Add(new Reading(new MeterId("water"), t, 50 + (0.1 * n)));
        }

        await _readings!.WriteAsync(batch, Ct);
    }

    private Task<IReadOnlyList<RollupRow>> Rows(string series, RollupPeriod period) => _store!.RollupsAsync([series], period, Day1.AddDays(-40), Day1.AddDays(40), Ct);

    [Fact]
    public async Task Two_days_of_counters_roll_up_into_hours_days_a_month_and_the_buildings_groups()
    {
        await WriteAsync(Day1, 2);

        var summary = await Engine().RunPassAsync(null, Ct);

        Assert.Equal(3, summary.Meters);
        var days = await Rows("main", RollupPeriod.Day);
        Assert.Equal([384.0, 384.0], days.Select(d => Math.Round(d.Amount, 9))); // 96 intervals × 4 kWh
        Assert.Equal(48, (await Rows("main", RollupPeriod.Hour)).Count);
        Assert.Equal(768, (await Rows("main", RollupPeriod.Month)).Single().Amount, 9);

        // The building's electricity counts the top-level meter only; the 01A00 sub-item counts the light meter.
        Assert.Equal(768, (await Rows(SeriesGroups.Kind(SeriesScope.Building, "b1", EnergyKind.Electricity), RollupPeriod.Month)).Single().Amount, 9);
        Assert.Equal(192, (await Rows("building/b1/item/01A00", RollupPeriod.Month)).Single().Amount, 9);
        Assert.Equal(19.2, (await Rows(SeriesGroups.Kind(SeriesScope.Region, "320117", EnergyKind.Water), RollupPeriod.Month)).Single().Amount, 9);
        Assert.Equal(0, days[0].EstimatedShare);

        // unmetered = main − children(main) = 4 − 1 kWh per interval: 288 a day.
        Assert.Equal([288.0, 288.0], (await Rows("unmetered", RollupPeriod.Day)).Select(d => Math.Round(d.Amount, 9)));
    }

    [Fact]
    public void A_formula_naming_an_unknown_meter_is_a_config_error_with_its_path()
    {
        var result = LoadSite("main - children(mian)");

        var error = Assert.Single(result.Errors);
        Assert.Contains("virtualMeters[0].formula", error.ToString());
        Assert.Contains("\"mian\"", error.ToString());
    }

    [Fact]
    public async Task The_daily_indicators_read_the_rollups_and_are_saved_with_their_coefficient_set()
    {
        // Two days of the main meter: 768 kWh × 0.1229 = 94.3872 kgce with CN-2023 (the newest set, used for 2026).
        await WriteAsync(Day1, 2);
        await Engine().RunPassAsync(null, Ct);
        var indicators = new EnergyMonitor.Analytics.Indicators.DailyIndicators(_site!, _store!, new SqliteIndicatorStore(_database!), EnergyMonitor.Analytics.Conversion.CoefficientCatalog.Defaults);

        var computed = Assert.Single(await indicators.RunAsync(Day1.AddDays(2), Ct));
        await indicators.RunAsync(Day1.AddDays(2), Ct); // again: replaces, never duplicates
        var saved = await new SqliteIndicatorStore(_database!).LatestAsync("inst", Ct);

        Assert.Equal(94.3872, computed.Kgce, 6);
        Assert.Equal("CN-2023", saved!.Value.CoefficientSet);
        using var json = System.Text.Json.JsonDocument.Parse(saved.Value.Json);
        Assert.Equal(94.3872, json.RootElement.GetProperty("Kgce").GetDouble(), 6);
        Assert.Equal("CN-2023", json.RootElement.GetProperty("CoefficientSet").GetString());
    }

    [Fact]
    public async Task A_second_pass_with_nothing_new_changes_nothing()
    {
        await WriteAsync(Day1, 1);
        await Engine().RunPassAsync(null, Ct);
        var before = await Rows("main", RollupPeriod.Hour);

        var again = await Engine().RunPassAsync(null, Ct);

        Assert.Equal(0, again.Meters);
        Assert.Equal(before, await Rows("main", RollupPeriod.Hour));
    }

    [Fact]
    public async Task Late_readings_filling_a_gap_update_the_hours_they_touch_and_leave_the_day_before_alone()
    {
        // Day 2 10:00–12:00 missing at first: the 8 intervals are estimated. Then the readings arrive late.
        var gapStart = Day1.AddDays(1).AddHours(10);
        bool InGap(DateTimeOffset t) => t > gapStart && t < gapStart.AddHours(2);
        await WriteAsync(Day1, 3, InGap);
        await Engine().RunPassAsync(null, Ct);
        var firstDay = (await Rows("main", RollupPeriod.Day))[0];
        var gapDay = (await Rows("main", RollupPeriod.Day))[1];
        Assert.Equal(32, gapDay.Estimated, 9); // 8 intervals × 4 kWh spread

        var late = new List<Reading>();
        for (var t = gapStart.AddMinutes(15); t < gapStart.AddHours(2); t = t.AddMinutes(15))
        {
            var n = (t - Day1).TotalMinutes / 15;
            late.Add(new Reading(new MeterId("main"), t, 1000 + (4 * n) + (t.Minute == 30 ? 1 : 0))); // not quite linear this time
        }

        await _readings!.WriteAsync(late, Ct);
        var pass = await Engine().RunPassAsync(null, Ct);

        Assert.Equal(1, pass.Meters);
        var days = await Rows("main", RollupPeriod.Day);
        Assert.Equal(firstDay, days[0]);               // untouched
        Assert.Equal(384, days[1].Amount, 9);          // the counter's advance is the same …
        Assert.Equal(0, days[1].Estimated, 9);         // … but now measured
        var hour10 = (await Rows("main", RollupPeriod.Hour)).Single(h => h.Start == gapStart);
        Assert.Equal(16, hour10.Amount, 9);            // 10:15 → 10:30 is 5, 10:30 → 10:45 is 3: still 16 for the hour
    }

    [Fact]
    public async Task Incremental_passes_as_readings_arrive_equal_a_backfill_from_scratch()
    {
        for (var day = 0; day < 3; day++)
        {
            await WriteAsync(Day1.AddDays(day), 1);
            await Engine().RunPassAsync(null, Ct);
        }

        var series = new[] { "main", "light", "water", SeriesGroups.Kind(SeriesScope.Institution, "inst", EnergyKind.Electricity) };
        var incremental = new List<RollupRow>();
        foreach (var s in series)
        {
            foreach (var p in Enum.GetValues<RollupPeriod>())
            {
                incremental.AddRange(await Rows(s, p));
            }
        }

        await Engine().BackfillAsync(Day1.AddDays(-1), null, null, Ct);
        var scratch = new List<RollupRow>();
        foreach (var s in series)
        {
            foreach (var p in Enum.GetValues<RollupPeriod>())
            {
                scratch.AddRange(await Rows(s, p));
            }
        }

        AssertSame(incremental, scratch);

        // A bounded backfill of the middle day alone (rollup --from 03-02 --to 03-03) leaves the same rows too.
        await Engine().BackfillAsync(Day1.AddDays(1), Day1.AddDays(2), null, Ct);
        var bounded = new List<RollupRow>();
        foreach (var s in series)
        {
            foreach (var p in Enum.GetValues<RollupPeriod>())
            {
                bounded.AddRange(await Rows(s, p));
            }
        }

        AssertSame(incremental, bounded);
    }

    private static void AssertSame(List<RollupRow> expected, List<RollupRow> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (a, b) in expected.Zip(actual))
        {
            Assert.Equal((a.Series, a.Period, a.Start, a.Intervals, a.Flags), (b.Series, b.Period, b.Start, b.Intervals, b.Flags));
            Assert.Equal(a.Amount, b.Amount, 9);
        }
    }
}
