using EnergyMonitor.Site;

namespace EnergyMonitor.Service.Settings;

/// <summary>
/// The server database as the settings file gives it: a connection string without its password, which comes from
/// the environment or a file (docs/CONFIG.md#secrets).
/// </summary>
public sealed class PostgresSettings
{
    /// <summary>An Npgsql connection string: <c>Host=db1;Port=5432;Database=energymonitor;Username=energymonitor;SSL Mode=VerifyFull</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public string? PasswordEnv { get; set; }

    public string? PasswordFile { get; set; }

    /// <summary>The connection string with its password resolved.</summary>
    public Storage.Postgres.PostgresOptions Resolve(string settingsFile)
    {
        const string field = "EnergyMonitor:Storage:Postgres:ConnectionString";
        Npgsql.NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException([new ConfigError(settingsFile, 0, 0, field, $"\"{ConnectionString}\" ({e.Message})", "an Npgsql connection string: Host=…;Database=…;Username=…")]);
        }

        if (string.IsNullOrEmpty(builder.Host) || string.IsNullOrEmpty(builder.Database))
        {
            throw new ConfigException([new ConfigError(settingsFile, 0, 0, field, ConnectionString.Length == 0 ? "nothing" : $"\"{ConnectionString}\"",
                "a connection string naming at least Host and Database, e.g. Host=127.0.0.1;Database=energymonitor;Username=energymonitor")]);
        }

        if (!string.IsNullOrEmpty(builder.Password))
        {
            throw new ConfigException([new ConfigError(settingsFile, 0, 0, field, "a password written into the settings file",
                "the password in EnergyMonitor:Storage:Postgres:PasswordEnv (an environment variable's name) or PasswordFile; see docs/CONFIG.md#secrets")]);
        }

        if (Secrets.Resolve(PasswordEnv, PasswordFile, "EnergyMonitor:Storage:Postgres:Password", settingsFile) is { } password)
        {
            builder.Password = password;
        }

        return new Storage.Postgres.PostgresOptions { ConnectionString = builder.ConnectionString };
    }
}
