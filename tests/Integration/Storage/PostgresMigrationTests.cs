using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>
/// <c>energymonitor migrate --to postgres</c> as an operator runs it: the demo's history in an embedded file, with
/// rollups, an alert and its notifications, a report, an indicator and a quarantined message beside it, copied into
/// a real PostgreSQL 15, verified, and copied again without change.
/// </summary>
public sealed class PostgresMigrationTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 7, 0, 0, TimeSpan.FromHours(8));
    private readonly string _dir = Directory.CreateTempSubdirectory("em-migrate-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_embedded_database_is_copied_whole_verified_and_a_second_run_changes_nothing()
    {
        SiteFixture.CopyExampleSite(_dir);
        var db = Path.Combine(_dir, "data", "em.db");
        await using (var history = ChildProcess.EnergyMonitor(
            ["demo", "history", "--settings", Path.Combine(SiteFixture.ConfigDirectory(), "appsettings.json"), "--db", db, "--days", "3", "--mqtt-days", "0"], _dir))
        {
            Assert.True(await history.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct) == 0, history.Output);
        }

        var sqlite = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = db }, Ct);
        await AddEverythingElseAsync(sqlite);
        var connection = await server.CreateDatabaseAsync();
        var settings = Path.Combine(_dir, "appsettings.json");
        await File.WriteAllTextAsync(settings, $$"""
            { "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "{{db}}" }, "Postgres": { "ConnectionString": "{{connection}}" } } } }
            """, Ct);

        for (var run = 1; run <= 2; run++)
        {
            await using var migrate = ChildProcess.EnergyMonitor(["migrate", "--to", "postgres", "--settings", settings], _dir);
            Assert.True(await migrate.WaitForExitAsync(TimeSpan.FromSeconds(180), Ct) == 0, migrate.Output);
            Assert.Contains("every table, meter and rollup series equal", migrate.Output);
        }

        await using var postgres = await PostgresDatabase.OpenAsync(new PostgresOptions { ConnectionString = connection }, Ct);
        // The demo's history is the three days before now.
        var (recent, now) = (DateTimeOffset.UtcNow.AddDays(-5), DateTimeOffset.UtcNow.AddDays(1));
        var counts = await new SqliteReadingStore(sqlite).CountAsync(recent, now, Ct);
        Assert.True(counts.Values.Sum() > 5000, $"{counts.Values.Sum()} readings in the demo's history");
        Assert.Equal(counts, await new PostgresReadingStore(postgres).CountAsync(recent, now, Ct));
        var meter = new MeterId("adm-main-total");
        Assert.Equal(await new SqliteReadingStore(sqlite).ReadAsync(meter, recent, now, Ct), await new PostgresReadingStore(postgres).ReadAsync(meter, recent, now, Ct));
        var (from, to) = (T0.AddDays(-10), T0.AddDays(1));
        Assert.Equal(
            await new SqliteConsumptionStore(sqlite).RollupsAsync(["adm-main-total", "building/hospital-main/electricity"], RollupPeriod.Day, from, to, Ct),
            await new PostgresConsumptionStore(postgres).RollupsAsync(["adm-main-total", "building/hospital-main/electricity"], RollupPeriod.Day, from, to, Ct));
        var alerts = await new PostgresAlertStore(postgres).ListAsync(new AlertQuery(), Ct);
        Assert.Equal((await new SqliteAlertStore(sqlite).ListAsync(new AlertQuery(), Ct)).Select(a => (a.Id, a.Finding.Key, a.State)), alerts.Select(a => (a.Id, a.Finding.Key, a.State)));
        Assert.Equal(await new SqliteReportArchive(sqlite).ListAsync(Ct), await new PostgresReportArchive(postgres).ListAsync(Ct));
        Assert.Equal((await new SqliteIndicatorStore(sqlite).LatestAsync("lishui-admin", Ct))?.Json, (await new PostgresIndicatorStore(postgres).LatestAsync("lishui-admin", Ct))?.Json);
        Assert.Single(await new PostgresQuarantine(postgres).ListAsync(Ct));
        Assert.Single(await new PostgresAlertStore(postgres).DueAsync("webhook", T0.AddDays(1), 10, Ct));

        // The service goes on where the file left off: a new alert gets the next id, not one already taken.
        await new PostgresAlertStore(postgres).ApplyAsync([new AlertChange.Raise(Leak("w2"), T0.AddDays(1), [])], Ct);
        Assert.Equal(alerts.Max(a => a.Id) + 1, (await new PostgresAlertStore(postgres).ListAsync(new AlertQuery(), Ct)).Max(a => a.Id));
    }

    private static Finding Leak(string meter) =>
        new("night-leak", meter, AlertSeverity.Warning, meter, "hospital-main", "lishui-hospital", T0.AddDays(-2), [new Evidence(new LocalizedText("夜间最小流量", "night flow"), 0.2, "m3/h", "≤ 0.01")],
            new LocalizedText("疑似漏水", "Possible leak"), new LocalizedText("检查", "Check"));

    private static async Task AddEverythingElseAsync(SqliteDatabase sqlite)
    {
        var consumption = new SqliteConsumptionStore(sqlite);
        await consumption.ReplaceRollupsAsync("adm-main-total", RollupPeriod.Day, T0.AddDays(-3), T0,
            [.. Enumerable.Range(0, 3).Select(d => new RollupRow("adm-main-total", RollupPeriod.Day, T0.AddDays(-3 + d), 1000.5 + d, 0, 0, IntervalFlags.None, 96))], Ct);
        await consumption.ReplaceRollupsAsync("building/hospital-main/electricity", RollupPeriod.Day, T0.AddDays(-3), T0,
            [new RollupRow("building/hospital-main/electricity", RollupPeriod.Day, T0.AddDays(-1), 12_345.25, 10, 0, IntervalFlags.Estimated, 96)], Ct);
        var alerts = new SqliteAlertStore(sqlite);
        await alerts.ApplyAsync([new AlertChange.Raise(Leak("w1"), T0, ["webhook", "wecom"])], Ct);
        var id = (await alerts.CurrentAsync(T0, Ct))[0].Id;
        await alerts.AcknowledgeAsync(id, "王工", T0.AddHours(1), Ct);
        await alerts.MarkDeliveredAsync([(await alerts.DueAsync("wecom", T0, 10, Ct))[0].Id], T0, Ct);
        await new SqliteReportArchive(sqlite).AddAsync(new ArchivedReport(0, "2026-10", "region", "pdf", "reports/2026-10/region.pdf", "ab12", 123_456, T0), Ct);
        await new SqliteIndicatorStore(sqlite).SaveAsync("lishui-admin", T0, "2024-national", """{"kgcePerM2":1.5}""", Ct);
        await new QuarantineStore(sqlite).AddAsync("broker", "lishui/x", "garbage"u8.ToArray(), QuarantineReason.NotANumber, "\"garbage\" is not a number", T0, Ct);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
