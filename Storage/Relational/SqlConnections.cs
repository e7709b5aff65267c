using System.Data.Common;

namespace EnergyMonitor.Storage.Relational;

/// <summary>
/// Opens a connection to whichever database the site runs on, for the stores whose SQL both speak alike (named
/// <c>@parameters</c>, <c>ON CONFLICT</c>, <c>RETURNING</c>): one implementation instead of twins that drift apart.
/// </summary>
public sealed class SqlConnections(Func<CancellationToken, ValueTask<DbConnection>> open)
{
    public static SqlConnections Of(Embedded.SqliteDatabase database) => new(async ct => await database.OpenConnectionAsync(ct).ConfigureAwait(false));

    public static SqlConnections Of(Postgres.PostgresDatabase database) => new(async ct => await database.OpenConnectionAsync(ct).ConfigureAwait(false));

    public ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => open(cancellationToken);

    /// <summary>A command on <paramref name="connection"/> with its parameters; a null value is sent as SQL NULL.</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Runs one statement on a connection of its own; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one query on a connection of its own and maps each row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset At(DbDataReader reader, int column) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    public static DateTimeOffset? AtOrNull(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : At(reader, column);
}
