using EnergyMonitor.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>
/// <c>energymonitor demo --postgres CONNECTION</c>: the whole demo with every store in PostgreSQL, the embedded file
/// keeping only the outbox; and a second demo into the same, no longer empty, database is refused.
/// </summary>
public sealed class PostgresDemoTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-pg-demo-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_demo_runs_on_postgres_with_one_flag()
    {
        var connection = await server.CreateDatabaseAsync();
        var output = Path.Combine(_dir, "out");
        string[] demo = ["demo", "--settings", Path.Combine(SiteFixture.ConfigDirectory(), "appsettings.json"), "--out", output, "--live", "5", "--postgres", connection];
        await using (var process = ChildProcess.EnergyMonitor(demo, _dir))
        {
            // The demo's whole history (three years, 1.75 million readings) through the outbox: 104 s here, against 65 s
            // on the embedded file.
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(300), Ct) == 0, process.Output);
            Assert.Contains("all 7 planted faults caught", process.Output);
        }

        // Readings, rollups, alerts and the report archive are the server's; the local file holds an empty outbox.
        await using var pg = new NpgsqlConnection(connection);
        await pg.OpenAsync(Ct);
        foreach (var table in new[] { "readings", "rollups", "consumption_intervals", "alerts", "report_archive", "qrtz_job_details" })
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", pg);
            Assert.True((long)(await count.ExecuteScalarAsync(Ct))! > 0, $"{table} is empty");
        }

        await using (var local = new SqliteConnection($"Data Source={Path.Combine(output, "data", "energymonitor.db")};Mode=ReadOnly;Pooling=False"))
        {
            await local.OpenAsync(Ct);
            await using var query = local.CreateCommand();
            query.CommandText = "SELECT (SELECT count(*) FROM readings) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM rollups)";
            Assert.Equal(0L, await query.ExecuteScalarAsync(Ct));
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output, "data", "reports"), "report-region-*.pdf", SearchOption.AllDirectories));

        // Again into the same database: refused before anything is written, rather than mixing two histories.
        await using var again = ChildProcess.EnergyMonitor(demo, _dir);
        Assert.Equal(2, await again.WaitForExitAsync(TimeSpan.FromSeconds(120), Ct));
        Assert.Contains("needs an empty database", again.Output);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
