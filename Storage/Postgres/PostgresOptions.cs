namespace EnergyMonitor.Storage.Postgres;

/// <summary>Where the server database is: an Npgsql connection string, its password from the environment or a file.</summary>
public sealed record PostgresOptions
{
    public string ConnectionString { get; init; } = "";
}
