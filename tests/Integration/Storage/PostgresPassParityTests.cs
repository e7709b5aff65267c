using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>
/// The consumption pass as the service runs it on each store: one meter at a time on the embedded file, 8 meters and
/// the groups of a level side by side on PostgreSQL. Over the demo's history of the example site (four buildings, its
/// sub-meters, item groups, institutions and the region), every rollup of every series comes out the same.
/// </summary>
public sealed class PostgresPassParityTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-pg-parity-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_parallel_pass_on_postgres_leaves_the_rollups_of_the_pass_on_the_embedded_file()
    {
        SiteFixture.CopyExampleSite(_dir);
        var db = Path.Combine(_dir, "em.db");
        await using (var history = ChildProcess.EnergyMonitor(
            ["demo", "history", "--settings", Path.Combine(SiteFixture.ConfigDirectory(), "appsettings.json"), "--db", db, "--days", "5", "--mqtt-days", "0"], _dir))
        {
            Assert.True(await history.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct) == 0, history.Output);
        }

        var site = EnergyMonitor.Acquisition.SiteFiles.Load(Path.Combine(_dir, "site.yaml"), TimeProvider.System).Site!.Model;
        var sqlite = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = db }, Ct);
        using var sqliteReadings = new SqliteReadingStore(sqlite);
        await using var postgres = await PostgresDatabase.OpenAsync(new PostgresOptions { ConnectionString = await server.CreateDatabaseAsync() }, Ct);
        var pgReadings = new PostgresReadingStore(postgres);
        var (from, to) = (DateTimeOffset.UtcNow.AddDays(-8), DateTimeOffset.UtcNow.AddDays(1));
        foreach (var meter in site.Meters)
        {
            await pgReadings.WriteAsync(await sqliteReadings.ReadAsync(meter.Id, from, to, Ct), Ct);
        }

        var embedded = new SqliteConsumptionStore(sqlite);
        var onServer = new PostgresConsumptionStore(postgres);
        var one = await new ConsumptionEngine(site, sqliteReadings, embedded, new ConsumptionOptions()).RunPassAsync(null, Ct);
        var eight = await new ConsumptionEngine(site, pgReadings, onServer, new ConsumptionOptions { MeterParallelism = 8 }).RunPassAsync(null, Ct);
        Assert.Equal(one, eight);
        Assert.True(one.Groups > 20, $"{one.Groups} group series");

        var series = await SeriesAsync(db);
        foreach (var period in new[] { RollupPeriod.Hour, RollupPeriod.Day, RollupPeriod.Month })
        {
            var expected = await embedded.RollupsAsync(series, period, from.AddDays(-40), to, Ct);
            var actual = await onServer.RollupsAsync(series, period, from.AddDays(-40), to, Ct);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, actual.Count);
            Assert.All(expected.Zip(actual), p =>
            {
                // Group sums are SQL sums of doubles, whose order each database chooses: equal to rounding.
                Assert.Equal((p.First.Series, p.First.Start, p.First.Flags, p.First.Intervals), (p.Second.Series, p.Second.Start, p.Second.Flags, p.Second.Intervals));
                Assert.Equal(p.First.Amount, p.Second.Amount, 1e-9 * Math.Max(1, Math.Abs(p.First.Amount)));
                Assert.Equal(p.First.Estimated, p.Second.Estimated, 1e-9 * Math.Max(1, Math.Abs(p.First.Estimated)));
            });
        }
    }

    private static async Task<List<string>> SeriesAsync(string db)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT DISTINCT series FROM rollups ORDER BY series";
        var series = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            series.Add(reader.GetString(0));
        }

        return series;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
