using System.Globalization;
using EnergyMonitor.Storage.Embedded;
using Npgsql;

namespace EnergyMonitor.Storage.Postgres;

/// <summary>
/// The server database: one pooled data source, and the versioned migrations (<c>Postgres/Migrations/NNNN_name.sql</c>)
/// applied at start under an advisory lock, so that two instances starting together migrate once.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The advisory lock key of the migrations: "EMschema" as a 64-bit number, unlikely to meet another's.</summary>
    private const long MigrationLock = 0x454D_7363_6865_6D61;

    private PostgresDatabase(NpgsqlDataSource dataSource) => DataSource = dataSource;

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The migrations this build knows, in order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = Migration.Shipped("PostgresMigrations.");

    public static async Task<PostgresDatabase> OpenAsync(PostgresOptions options, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);

        // The passes send the same few statements thousands of times: prepared on the server after their second
        // use, they skip the parse and plan each time (the 10,000-meter incremental pass: docs/PERFORMANCE.md). A
        // connection string that sets its own value keeps it.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        // Every store call takes a pooled connection and gives it back, and a reset on each return sent four
        // statements per call (DISCARD TEMP, RESET ALL …: 33,000 in one 1,000-meter pass). Nothing here leaves session
        // state behind: no temporary tables, no SET, and the migration lock is released explicitly.
        builder.ConnectionStringBuilder.NoResetOnClose = true;

        var dataSource = builder.Build();
        try
        {
            var database = new PostgresDatabase(dataSource);
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return database;
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>The schema version recorded in the database.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var query = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        return Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // A session lock, held across the migrations' own transactions: the second instance waits here, then finds
        // the schema current and applies nothing.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())",
                cancellationToken).ConfigureAwait(false);
            await using var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
            var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var newest = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
            if (current > newest)
            {
                // An older build must not write into a schema it does not understand.
                throw new InvalidOperationException(
                    $"database {connection.Database} has schema version {current}, newer than the {newest} this build knows; upgrade EnergyMonitor");
            }

            foreach (var (version, name, sql) in Migrations.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
