using EnergyMonitor.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_file_gets_every_migration_and_runs_in_wal_mode()
    {
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File("a.db") }, Ct);

        Assert.Equal(SqliteDatabase.Migrations()[^1].Version, database.SchemaVersion);
        await using var connection = await database.OpenConnectionAsync(Ct);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal(SqliteDatabase.Migrations().Count, Convert.ToInt32(await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Reopening_applies_nothing_twice_and_keeps_data()
    {
        var options = new SqliteOptions { Path = _dir.File("b.db") };
        var first = await SqliteDatabase.OpenAsync(options, Ct);
        await using (var c = await first.OpenConnectionAsync(Ct))
        {
            await ScalarAsync(c, "INSERT INTO meters (meter_id) VALUES ('kept')");
        }

        var second = await SqliteDatabase.OpenAsync(options, Ct);

        await using var connection = await second.OpenConnectionAsync(Ct);
        Assert.Equal(first.SchemaVersion, second.SchemaVersion);
        Assert.Equal("kept", await ScalarAsync(connection, "SELECT meter_id FROM meters"));
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused_with_its_version()
    {
        var options = new SqliteOptions { Path = _dir.File("c.db") };
        var database = await SqliteDatabase.OpenAsync(options, Ct);
        await using (var c = await database.OpenConnectionAsync(Ct))
        {
            await ScalarAsync(c, "PRAGMA user_version = 999");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteDatabase.OpenAsync(options, Ct));

        Assert.Contains("schema version 999", error.Message);
    }

    [Fact]
    public async Task Migrations_apply_in_version_order_each_exactly_once()
    {
        await using var connection = new SqliteConnection($"Data Source={_dir.File("d.db")}");
        await connection.OpenAsync(Ct);
        Migration[] steps =
        [
            new(1, "0001_a", "CREATE TABLE a (x INTEGER)"),
            new(2, "0002_b", "INSERT INTO a VALUES (1)"),
        ];

        Assert.Equal(2, await SchemaMigrator.MigrateAsync(connection, steps, Ct));
        Assert.Equal(2, await SchemaMigrator.MigrateAsync(connection, steps, Ct));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM a"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_previous_version_intact()
    {
        await using var connection = new SqliteConnection($"Data Source={_dir.File("e.db")}");
        await connection.OpenAsync(Ct);
        Migration[] steps =
        [
            new(1, "0001_a", "CREATE TABLE a (x INTEGER)"),
            new(2, "0002_broken", "INSERT INTO a VALUES (1); INSERT INTO missing VALUES (2)"),
        ];

        await Assert.ThrowsAsync<SqliteException>(() => SchemaMigrator.MigrateAsync(connection, steps, Ct));

        Assert.Equal(1, await SchemaMigrator.CurrentVersionAsync(connection, Ct));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM a"));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }
}
