using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Outbox;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests.Analytics;

/// <summary>
/// The same readings into the embedded store and, through the outbox, into a real influxd 1.6.7: the consumption
/// passes over each must leave identical intervals' rollups, meter by meter, group by group, including after late data.
/// </summary>
public sealed class StoreParityTests(InfluxDbServer influx) : IClassFixture<InfluxDbServer>, IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private readonly string _dir = Directory.CreateTempSubdirectory("em-parity-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SiteModel Site = SiteFixture.Load("", """
        - { id: main, name: main, kind: electricity, item: "01000", rolloverAt: 10000 }
        - { id: light, name: light, kind: electricity, item: 01A00, parent: main }
        - { id: gas, name: gas, kind: natural-gas }
        """).Model;

    /// <summary>Two days with a wrap, a gateway's 0, a 2-hour gap on the gas meter; the gap's readings come later.</summary>
    private static (List<Reading> First, List<Reading> Late) Readings()
    {
        var first = new List<Reading>();
        var late = new List<Reading>();
        for (var k = 0; k <= 2 * 96; k++)
        {
            var t = Day1.AddMinutes(15 * k);
            first.Add(new Reading(new MeterId("main"), t, (9_500 + (7.5 * k)) % 10_000));
            first.Add(new Reading(new MeterId("light"), t, k == 50 ? 0 : 100 + (1.25 * k)));
            var gas = new Reading(new MeterId("gas"), t, 20 + (0.3 * k) + (k % 7 == 0 ? 0.05 : 0));
            (k is > 100 and < 109 ? late : first).Add(gas);
        }

        return (first, late);
    }

    private static async Task<EnergyMonitor.Analytics.Indicators.InstitutionIndicators> IndicatorsAsync(SqliteDatabase database) =>
        (await new EnergyMonitor.Analytics.Indicators.DailyIndicators(Site, new SqliteConsumptionStore(database), new SqliteIndicatorStore(database),
            EnergyMonitor.Analytics.Conversion.CoefficientCatalog.Defaults).RunAsync(Day1.AddDays(3), Ct)).Single();

    private static async Task<List<RollupRow>> RunAsync(Func<IReadOnlyList<Reading>, Task> write, Core.Ports.IReadingStore readings, SqliteDatabase database)
    {
        var (first, late) = Readings();
        var engine = new ConsumptionEngine(Site, readings, new SqliteConsumptionStore(database), new ConsumptionOptions());
        await write(first);
        await engine.RunPassAsync(null, Ct);
        await write(late);
        await engine.RunPassAsync(null, Ct);

        var store = new SqliteConsumptionStore(database);
        var series = new[] { "main", "light", "gas", "building/b1/electricity", "building/b1/item/01A00", "institution/inst/natural-gas", "region/320117/electricity" };
        var rows = new List<RollupRow>();
        foreach (var period in Enum.GetValues<RollupPeriod>())
        {
            rows.AddRange(await store.RollupsAsync(series, period, Day1.AddDays(-1), Day1.AddDays(40), Ct));
        }

        return rows;
    }

    [Fact]
    public async Task Embedded_store_and_InfluxDB_give_identical_rollups_on_the_same_readings()
    {
        var embeddedDb = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(_dir, "embedded.db") }, Ct);
        using var embedded = new SqliteReadingStore(embeddedDb);
        var fromEmbedded = await RunAsync(r => embedded.WriteAsync(r, Ct), embedded, embeddedDb);

        var influxDb = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(_dir, "influx-side.db") }, Ct);
        using var remote = new InfluxV1ReadingStore(new InfluxOptions { Url = influx.Url, Database = "parity_" + Guid.NewGuid().ToString("N")[..8] });
        await remote.EnsureDatabaseAsync(Ct);
        using var outbox = await DurableOutbox.OpenAsync(influxDb, remote, new OutboxOptions { BatchDelay = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, new ListLogger(), Ct);
        using var dispatch = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(dispatch.Token);
        async Task WriteThroughOutbox(IReadOnlyList<Reading> readings)
        {
            await outbox.EnqueueAsync(readings, Ct);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await outbox.StatusAsync(Ct)).Depth > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Ct);
            }
        }

        var fromInflux = await RunAsync(WriteThroughOutbox, remote, influxDb);
        await dispatch.CancelAsync();
        await dispatcher;

        Assert.True(fromEmbedded.Count > 100, $"only {fromEmbedded.Count} rows");
        Assert.Equal(fromEmbedded.Count, fromInflux.Count);
        foreach (var (a, b) in fromEmbedded.Zip(fromInflux))
        {
            Assert.Equal((a.Series, a.Period, a.Start, a.Intervals, a.Flags), (b.Series, b.Period, b.Start, b.Intervals, b.Flags));
            Assert.Equal(a.Amount, b.Amount, 9);
            Assert.Equal(a.Estimated, b.Estimated, 9);
        }

        // And so do the indicators computed from them.
        var embeddedIndicators = await IndicatorsAsync(embeddedDb);
        var influxIndicators = await IndicatorsAsync(influxDb);
        Assert.True(embeddedIndicators.Kgce > 0);
        Assert.Equal(embeddedIndicators.Kgce, influxIndicators.Kgce, 9);
        Assert.Equal(embeddedIndicators.Co2, influxIndicators.Co2, 9);
        Assert.Equal(embeddedIndicators.UseByKind, influxIndicators.UseByKind);

        // The scenario did exercise the special cases on both.
        Assert.Contains(fromEmbedded, r => r.Flags.HasFlag(IntervalFlags.Rollover));
        Assert.Contains(fromEmbedded, r => r.Flags.HasFlag(IntervalFlags.Unavailable));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
