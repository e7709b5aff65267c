using System.Text.Json;
using EnergyMonitor.Analytics.Alerts;
using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Conversion;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Notifications;
using EnergyMonitor.Simulation;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Integration.Tests.Alerting;

/// <summary>
/// The acceptance case, through the same parts the service runs: the demo's simulation with a planted leak,
/// counters into the embedded store, the consumption engine, then each morning the anomaly pass and the dispatcher
/// to a signed webhook on a real local listener. The leak must reach the webhook once, on the morning after its
/// third night, and its recovery once, on the morning after it was mended.
/// </summary>
public sealed class LeakAlertEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_planted_night_leak_is_delivered_once_and_its_recovery_once()
    {
        var site = SiteFixture.Load("", """
            - { id: w1, name: 主楼总水表, kind: water, unit: m3, mqtt: { topic: t/w1, field: $.v, timestamp: $.ts } }
            - { id: e1, name: 主楼总电表, kind: electricity, mqtt: { topic: t/e1, field: $.v, timestamp: $.ts } }
            """).Model;
        var zone = site.TimeZone;
        var start = new DateOnly(2026, 3, 2);
        var from = RollupPeriods.Local(start.ToDateTime(TimeOnly.MinValue), zone);
        var to = from.AddDays(45);
        var leakFrom = start.AddDays(35);
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File("demo.db") }, Ct);
        using var readings = new SqliteReadingStore(database);
        var consumption = new SqliteConsumptionStore(database);
        var alerts = new SqliteAlertStore(database);
        await new DemoHistory(site, readings, new QuarantineStore(database), TimeProvider.System, faults: [new PlantedLeak("w1", leakFrom, 5, 0.25)])
            .WriteAsync(from, to, to, seed: 11, _ => { }, (_, _) => { }, Ct);
        await new ConsumptionEngine(site, readings, consumption, new ConsumptionOptions()).BackfillAsync(from, null, null, Ct);

        await using var receiver = new HttpEndpoint(_ => (200, "{}"));
        using var http = new HttpClient();
        // Delivery runs on the morning each pass judges, whatever day the test runs (the history is of 2026's spring).
        var clock = new MorningClock();
        var channel = new WebhookChannel("hook", receiver.Url("/alerts"), "secret", 60, http, clock);
        var pass = new AnomalyPass(site, consumption, readings, alerts, CoefficientCatalog.Defaults, HolidayCalendar.WeekendsOnly,
            new AlertingOptions { Routes = [new AlertRoute("hook", AlertSeverity.Info)] });
        var dispatcher = new AlertDispatcher(alerts, [channel], new ChannelStatuses(), clock, NullLogger.Instance);

        var leakEvents = new List<(DateOnly Morning, string Kind)>();
        for (var morning = leakFrom.AddDays(-3); morning < start.AddDays(45); morning = morning.AddDays(1))
        {
            var at = RollupPeriods.Local(morning.ToDateTime(new TimeOnly(7, 0)), zone);
            await pass.RunAsync(at, Ct);
            clock.Now = at.AddMinutes(1);
            var before = receiver.Received.Count;
            await dispatcher.DeliverDueAsync(channel, new TokenBucket(60, clock), Ct);
            foreach (var request in receiver.Received.Skip(before))
            {
                using var json = JsonDocument.Parse(request.Body);
                leakEvents.AddRange(json.RootElement.GetProperty("events").EnumerateArray()
                    .Where(e => e.GetProperty("rule").GetString() == "night-leak" && e.GetProperty("subject").GetString() == "w1")
                    .Select(e => (morning, e.GetProperty("kind").GetString()!)));
            }
        }

        // Nights of the 35th, 36th and 37th day leak: the third is seen on the morning of the 37th; the water is
        // mended from the 40th, whose night is clean, so the recovery goes out that morning.
        Assert.Equal([(leakFrom.AddDays(2), "raised"), (leakFrom.AddDays(5), "recovered")], leakEvents);
        var alert = Assert.Single(await alerts.ListAsync(new Core.Ports.AlertQuery(), Ct), a => a.Finding.Rule == "night-leak");
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.InRange(alert.Finding.Evidence.Single(e => e.Name == EnergyMonitor.Analytics.Anomalies.EvidenceNames.LowestNightFlow).Value, 0.2, 0.3);
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>A clock the test sets: the morning a pass judges, then its delivery.</summary>
internal sealed class MorningClock : TimeProvider
{
    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
