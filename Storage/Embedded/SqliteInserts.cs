using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Embedded;

/// <summary>Many rows into one table, inside the caller's transaction.</summary>
internal static class SqliteInserts
{
    /// <summary>
    /// Inserts the rows with one prepared statement, its parameters set by position. Measured faster here than
    /// multi-row <c>VALUES</c> statements.
    /// </summary>
    /// <param name="bind">Fills one value per column, in the order of <paramref name="columns"/>.</param>
    public static async Task InsertAllAsync<T>(SqliteConnection connection, string table, string[] columns, IEnumerable<T> rows, Action<object[], T> bind, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, c) => $"$p{c}"))})";
        for (var c = 0; c < columns.Length; c++)
        {
            command.Parameters.Add(new SqliteParameter($"$p{c}", null));
        }

        command.Prepare();
        var values = new object[columns.Length];
        foreach (var row in rows)
        {
            bind(values, row);
            for (var c = 0; c < values.Length; c++)
            {
                command.Parameters[c].Value = values[c];
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
