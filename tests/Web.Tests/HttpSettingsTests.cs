using System.ComponentModel.DataAnnotations;

namespace EnergyMonitor.Web.Tests;

/// <summary>Where the service may listen: loopback freely, anything wider only with a key and TLS or plain HTTP said out loud.</summary>
public sealed class HttpSettingsTests
{
    private static List<ValidationResult> Validate(HttpSettings settings) => [.. settings.Validate(new ValidationContext(settings))];

    private static readonly ApiKeySettings Key = new() { Name = "k", Hash = "pbkdf2-sha256$1000$AAAA$AAAA", Role = "viewer" };

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public void Loopback_needs_nothing(string url) => Assert.Empty(Validate(new HttpSettings { Url = url }));

    [Fact]
    public void All_addresses_without_a_key_is_refused_naming_the_setting_and_how_to_make_a_key()
    {
        var errors = Validate(new HttpSettings { Url = "http://0.0.0.0:5080", AllowPlainHttp = true });

        var error = Assert.Single(errors);
        Assert.Equal(["ApiKeys"], error.MemberNames);
        Assert.Contains("apikey new", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_beyond_loopback_needs_AllowPlainHttp()
    {
        var errors = Validate(new HttpSettings { Url = "http://10.1.2.3:5080", ApiKeys = [Key] });

        Assert.Equal(["AllowPlainHttp"], Assert.Single(errors).MemberNames);
        Assert.Empty(Validate(new HttpSettings { Url = "http://10.1.2.3:5080", ApiKeys = [Key], AllowPlainHttp = true }));
    }

    [Fact]
    public void Https_needs_a_certificate()
    {
        Assert.Equal(["CertificateFile"], Assert.Single(Validate(new HttpSettings { Url = "https://0.0.0.0:5443", ApiKeys = [Key] })).MemberNames);
        Assert.Empty(Validate(new HttpSettings { Url = "https://0.0.0.0:5443", ApiKeys = [Key], CertificateFile = "/etc/energymonitor/cert.pfx" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("http://energy.example.org:5080")]
    public void A_url_that_is_not_http_is_refused(string url) => Assert.Equal(["Url"], Assert.Single(Validate(new HttpSettings { Url = url })).MemberNames);

    [Fact]
    public void A_disabled_endpoint_is_not_judged_by_its_address() =>
        Assert.Empty(Validate(new HttpSettings { Enabled = false, Url = "http://0.0.0.0:5080" }));
}
