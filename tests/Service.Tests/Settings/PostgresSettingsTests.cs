using EnergyMonitor.Service.Settings;
using EnergyMonitor.Site;

namespace EnergyMonitor.Service.Tests.Settings;

/// <summary>The server database's settings: a password is never read from the settings file, and a connection string that names no server is a located error.</summary>
public sealed class PostgresSettingsTests
{
    [Theory]
    [InlineData("Host=db1;Database=energymonitor;Username=em;Password=hunter2", "a password written into the settings file")]
    [InlineData("Database=energymonitor;Username=em", "naming at least Host and Database")]
    [InlineData("", "naming at least Host and Database")]
    [InlineData("Host=db1;Database=e;Nonsense=1", "an Npgsql connection string")]
    public void A_connection_string_that_cannot_be_used_names_the_field(string connectionString, string expected)
    {
        var settings = new PostgresSettings { ConnectionString = connectionString };

        var e = Assert.Throws<ConfigException>(() => settings.Resolve("/etc/energymonitor/appsettings.json"));

        var error = Assert.Single(e.Errors);
        Assert.Equal("EnergyMonitor:Storage:Postgres:ConnectionString", error.Path);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_comes_from_its_file_into_the_connection_string()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cret\n");
            var settings = new PostgresSettings { ConnectionString = "Host=db1;Database=energymonitor;Username=em;SSL Mode=VerifyFull", PasswordFile = file };

            var options = settings.Resolve("appsettings.json");

            var built = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
            Assert.Equal(("db1", "energymonitor", "s3cret", Npgsql.SslMode.VerifyFull), (built.Host, built.Database, built.Password, built.SslMode));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
