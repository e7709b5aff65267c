using System.Text.Json;
using EnergyMonitor.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>
/// <c>energymonitor run</c> with <c>Storage:Kind: Postgres</c>, as an operator starts it: the schema is created at
/// start, the Modbus readings of the example site (simulated) reach PostgreSQL through the local outbox, /health has
/// the database's own entry, and the local file holds the outbox and nothing else.
/// </summary>
public sealed class PostgresServiceTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-pg-run-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_service_runs_on_postgres_and_its_readings_arrive_there()
    {
        SiteFixture.CopyExampleSiteOnFreePorts(_dir);
        var site = EnergyMonitor.Acquisition.SiteFiles.Load(Path.Combine(_dir, "site.yaml"), TimeProvider.System).Site!;
        await using var simulator = new EnergyMonitor.Simulation.ModbusSimulator(site, 3, TimeProvider.System, new ListLogger());
        simulator.Start();
        var connection = await server.CreateDatabaseAsync();
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"), $$"""
            { "EnergyMonitor": { "SiteFile": "site.yaml",
              "Storage": { "Kind": "Postgres", "Sqlite": { "Path": "db/local.db" }, "Postgres": { "ConnectionString": "{{connection}}" },
                           "Outbox": { "BatchDelay": "00:00:00.200" } },
              "Http": { "Url": "http://127.0.0.1:{{port}}" } } }
            """, Ct);

        await using var process = ChildProcess.EnergyMonitor(["run", "--settings", Path.Combine(_dir, "appsettings.json")], _dir);
        Assert.True(await process.WaitForOutputAsync("Serving site", TimeSpan.FromSeconds(60), Ct), process.Output);

        // The pollers read every Modbus meter at start; the outbox delivers them to PostgreSQL.
        await using var pg = new NpgsqlConnection(connection);
        await pg.OpenAsync(Ct);
        long stored = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (stored < 10 && DateTime.UtcNow < deadline)
        {
            await using var count = new NpgsqlCommand("SELECT count(DISTINCT meter_key) FROM readings", pg);
            stored = (long)(await count.ExecuteScalarAsync(Ct))!;
            await Task.Delay(500, Ct);
        }

        Assert.True(stored >= 10, $"{stored} meters' readings in PostgreSQL\n{process.Output}");
        await using (var marks = new NpgsqlCommand("SELECT count(*) FROM reading_changes", pg))
        {
            Assert.True((long)(await marks.ExecuteScalarAsync(Ct))! >= 10);
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var health = JsonDocument.Parse(await http.GetStringAsync("/health", Ct)).RootElement.GetProperty("entries");
        Assert.Equal("Healthy", health.GetProperty("postgres").GetProperty("status").GetString());

        process.Signal("TERM");
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct));

        // The local file keeps the outbox (empty now) and no readings: they are the server's.
        await using var local = new SqliteConnection($"Data Source={Path.Combine(_dir, "db", "local.db")};Pooling=False");
        await local.OpenAsync(Ct);
        await using var query = local.CreateCommand();
        query.CommandText = "SELECT (SELECT count(*) FROM readings), (SELECT count(*) FROM outbox)";
        await using var reader = await query.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        Assert.Equal((0L, 0L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
