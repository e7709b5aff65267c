using System.Reflection;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>
/// The embedded database file: opens connections with the pragmas every component relies on and brings the
/// schema up to date. The readings store, the outbox, the quarantine and Quartz share this one file.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly SqliteOptions _options;

    private SqliteDatabase(string connectionString, SqliteOptions options)
    {
        _connectionString = connectionString;
        _options = options;
    }

    public string FilePath { get; private init; } = "";

    public int SchemaVersion { get; private set; }

    /// <summary>Opens (creating if needed) the file and applies pending migrations.</summary>
    public static async Task<SqliteDatabase> OpenAsync(SqliteOptions options, CancellationToken cancellationToken)
    {
        var fullPath = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = options.BusyTimeoutSeconds,
        };
        var database = new SqliteDatabase(builder.ToString(), options) { FilePath = fullPath };
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = connection.CreateCommand())
        {
            // Stored in the file: set once here, not on every open, where it would take a lock each time.
            wal.CommandText = "PRAGMA journal_mode=WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        database.SchemaVersion = await SchemaMigrator.MigrateAsync(connection, Migrations(), cancellationToken).ConfigureAwait(false);
        return database;
    }

    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var synchronous = _options.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        await using var pragma = connection.CreateCommand();
        // Per-connection settings: a pooled handle may be new, so they are set on every open.
        pragma.CommandText = $"PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={_options.BusyTimeoutSeconds * 1000};";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Asks the file for its schema version: a query that fails when the database cannot be read.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Copies the database, consistent as of one moment, into <paramref name="destination"/> while the service keeps
    /// writing (SQLite's online backup API, in steps so writers are held back only briefly). Written aside and
    /// moved into place, so a failed backup never leaves a half file under the destination's name.
    /// </summary>
    public async Task BackupAsync(string destination, CancellationToken cancellationToken)
    {
        var full = System.IO.Path.GetFullPath(destination);
        if (full == FilePath)
        {
            throw new ArgumentException("the backup would overwrite the database itself", nameof(destination));
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temporary = full + ".partial";
        File.Delete(temporary);
        await using (var source = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
        {
            await target.OpenAsync(cancellationToken).ConfigureAwait(false);
            source.BackupDatabase(target);
            await using var journal = target.CreateCommand();

            // A backup is one self-contained file: no -wal beside it to forget when copying it away.
            journal.CommandText = "PRAGMA journal_mode=DELETE";
            await journal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The migrations shipped with this build, in version order.</summary>
    public static IReadOnlyList<Migration> Migrations() => Migration.Shipped("Migrations.");
}

/// <summary>One schema step, named <c>NNNN_description.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>The migrations embedded under <paramref name="prefix"/> (one per database kind), in version order.</summary>
    internal static IReadOnlyList<Migration> Shipped(string prefix)
    {
        var assembly = typeof(Migration).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => FromResource(assembly, prefix, n))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration FromResource(Assembly assembly, string prefix, string resourceName)
    {
        var name = resourceName[prefix.Length..^".sql".Length];
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(name.AsSpan(0, underscore), System.Globalization.CultureInfo.InvariantCulture);
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, name, reader.ReadToEnd());
    }
}
