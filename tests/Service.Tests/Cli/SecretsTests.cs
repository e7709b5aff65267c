using EnergyMonitor.Service.Settings;
using EnergyMonitor.Site;

namespace EnergyMonitor.Service.Tests.Cli;

public sealed class SecretsTests
{
    [Fact]
    public void An_environment_variable_supplies_the_secret()
    {
        var value = Secrets.Resolve("MQTT_PASSWORD", null, "Mqtt:Password", "appsettings.json", name => name == "MQTT_PASSWORD" ? "s3cret" : null);

        Assert.Equal("s3cret", value);
    }

    [Fact]
    public void A_file_supplies_the_secret_without_its_trailing_newline()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "s3cret\n");
        try
        {
            Assert.Equal("s3cret", Secrets.Resolve(null, file, "Mqtt:Password", "appsettings.json", _ => null));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_named_but_unset_variable_is_a_config_error_naming_the_field()
    {
        var error = Assert.Throws<ConfigException>(() => Secrets.Resolve("MQTT_PASSWORD", null, "Mqtt:Password", "appsettings.json", _ => null));

        var single = Assert.Single(error.Errors);
        Assert.Equal("Mqtt:PasswordEnv", single.Path);
        Assert.Contains("MQTT_PASSWORD", single.Found);
    }

    [Fact]
    public void A_missing_secret_file_is_a_config_error_naming_the_field()
    {
        var error = Assert.Throws<ConfigException>(() => Secrets.Resolve(null, "/nonexistent/secret", "Influx:Token", "appsettings.json", _ => null));

        Assert.Equal("Influx:TokenFile", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public void No_source_configured_means_no_secret()
    {
        Assert.Null(Secrets.Resolve(null, null, "Mqtt:Password", "appsettings.json", _ => "ignored"));
    }
}
