using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Costs;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Model;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Reports.Tests;

/// <summary>
/// A small site whose counters were generated with known increments (so every total is known exactly), turned into
/// rollups by the real consumption engine in a real embedded store, and its October 2026 region report built once.
/// </summary>
public sealed class ReportFixture : IAsyncLifetime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"em-report-{Guid.NewGuid():N}.db");

    public SiteModel Site { get; } = BuildSite();

    public SqliteDatabase Database { get; private set; } = null!;

    public ConsumptionReport Report { get; private set; } = null!;

    /// <summary>kWh the main meter counted in October 2026 and October 2025, and the lighting sub-meter in October 2026.</summary>
    public (double Oct26, double Oct25, double Light26, double Water26) Expected { get; private set; }

    public CjkFont Font { get; } = ReportFonts.Shipped;

    /// <summary>A time-of-use electricity tariff (1.0 元 08–18, 0.3 元 otherwise) from 2026, a flat 0.7 before; water 5 元/m³.</summary>
    public static TariffBook Tariffs { get; } = new(
    [
        new Tariff(EnergyKind.Electricity, new DateOnly(2025, 1, 1), 0.7, [], "test"),
        new Tariff(EnergyKind.Electricity, new DateOnly(2026, 1, 1), null,
            [new TouBand("峰", 1.0, Enumerable.Range(8, 10).ToHashSet()), new TouBand("谷", 0.3, Enumerable.Range(0, 8).Concat(Enumerable.Range(18, 6)).ToHashSet())], "test"),
        new Tariff(EnergyKind.Water, new DateOnly(2025, 1, 1), 5.0, [], "test"),
    ]);

    /// <summary>元 the October 2026 electricity cost by the time-of-use tariff, hour by hour.</summary>
    public double ExpectedElectricityCost { get; private set; }

    public static ReportPeriod October => new(PeriodKind.Month, 2026, 10);

    public async ValueTask InitializeAsync()
    {
        Database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _path, Synchronous = SqliteSynchronous.Normal }, CancellationToken.None);
        using var readings = new SqliteReadingStore(Database);
        var list = new List<Reading>();
        double main = 1000, light = 200, water = 50;
        double oct26 = 0, oct25 = 0, light26 = 0, water26 = 0;
        foreach (var (from, to) in new[] { (new DateTime(2025, 9, 25), new DateTime(2025, 11, 3)), (new DateTime(2026, 8, 25), new DateTime(2026, 11, 3)) })
        {
            for (var local = from; local < to; local = local.AddMinutes(15))
            {
                var t = new DateTimeOffset(local, TimeSpan.FromHours(8));
                list.Add(new Reading(new MeterId("main"), t, main));
                list.Add(new Reading(new MeterId("light"), t, light));
                list.Add(new Reading(new MeterId("water"), t, water));

                // The increments of the interval starting now: an office day, a quieter night and weekend.
                var busy = local.Hour is >= 8 and < 18 && local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
                var lightUse = busy ? 6.0 : 1.0;
                var mainUse = lightUse + (busy ? 14.0 : 4.0);
                var waterUse = busy ? 0.25 : 0.0;
                if (local.Month == 10 && local.Year == 2026)
                {
                    ExpectedElectricityCost += mainUse * (local.Hour is >= 8 and < 18 ? 1.0 : 0.3);
                    oct26 += mainUse;
                    light26 += lightUse;
                    water26 += waterUse;
                }
                else if (local.Month == 10 && local.Year == 2025)
                {
                    oct25 += mainUse;
                }

                main += mainUse;
                light += lightUse;
                water += waterUse;
            }
        }

        await readings.WriteAsync(list, CancellationToken.None);
        var store = new SqliteConsumptionStore(Database);
        await new ConsumptionEngine(Site, readings, store, new ConsumptionOptions()).BackfillAsync(new DateTimeOffset(2025, 9, 25, 0, 0, 0, TimeSpan.FromHours(8)), null, null, CancellationToken.None);
        Expected = (oct26, oct25, light26, water26);
        var builder = new ReportBuilder(Site, store, new SqliteAlertStore(Database), CoefficientCatalog.Defaults, HolidayCalendar.WeekendsOnly, Tariffs, new FixedTime(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8))));
        Report = await builder.BuildAsync(ReportScope.Region("320117"), October, Language.Chinese, CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return ValueTask.CompletedTask;
    }

    private static SiteModel BuildSite()
    {
        static Meter M(string id, EnergyKind kind, string item, string? parent) =>
            new(new MeterId(id), id, kind, ItemCodes.TryFind(item, out var code) ? code : null, EnergyKinds.CanonicalUnit(kind), Multiplier.One, ReadingMode.Cumulative,
                TimeSpan.FromMinutes(15), null, null, parent is null ? null : new MeterId(parent), [], new ManualSource());

        var building = new Building("b1", "320117A001", "主楼", new Quantity<SquareMetre>(10_000), ClimateZone.HotSummerColdWinter, 'B',
            [M("main", EnergyKind.Electricity, "01000", null), M("light", EnergyKind.Electricity, "01A00", "main"), M("water", EnergyKind.Water, "02000", null)]);
        var facts = new[] { 2025, 2026 }.Select(y => new YearFacts(y, new Quantity<SquareMetre>(10_000), 400, 380, 4)).ToList();
        var institution = new Institution("i1", "区机关事务管理中心", "11320117MB0123456D", "01", facts, null, [building]);
        return new SiteModel("测试区", new Region("320117", "溧水区", Zone), [], [institution]);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}

[CollectionDefinition("report")]
public sealed class ReportCollection : ICollectionFixture<ReportFixture>;
