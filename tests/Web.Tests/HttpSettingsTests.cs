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
    public void All_addresses_without_a_key_is_accepted_since_people_sign_in_with_accounts_and_the_api_still_wants_a_key()
    {
        Assert.Empty(Validate(new HttpSettings { Url = "http://0.0.0.0:5080", AllowPlainHttp = true }));
    }

    [Fact]
    public void Plain_http_beyond_loopback_needs_AllowPlainHttp()
    {
        var errors = Validate(new HttpSettings { Url = "http://10.1.2.3:5080", ApiKeys = [Key] });

        Assert.Equal(["AllowPlainHttp"], Assert.Single(errors).MemberNames);
        Assert.Empty(Validate(new HttpSettings { Url = "http://10.1.2.3:5080", ApiKeys = [Key], AllowPlainHttp = true }));
    }

    [Fact]
    public void Https_needs_a_certificate_that_exists_and_opens_on_loopback_too()
    {
        var dir = Directory.CreateTempSubdirectory("em-cert-").FullName;
        try
        {
            using var key = System.Security.Cryptography.RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            var pfx = Path.Combine(dir, "cert.pfx");
            File.WriteAllBytes(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "right"));
            var variable = "EM_TEST_PFX_" + Guid.NewGuid().ToString("N")[..8];
            Environment.SetEnvironmentVariable(variable, "right");
            var wrong = "EM_TEST_PFX_WRONG_" + Guid.NewGuid().ToString("N")[..8];
            Environment.SetEnvironmentVariable(wrong, "wrong");

            Assert.Equal(["CertificateFile"], Assert.Single(Validate(new HttpSettings { Url = "https://0.0.0.0:5443", ApiKeys = [Key] })).MemberNames);
            Assert.Equal(["CertificateFile"], Assert.Single(Validate(new HttpSettings { Url = "https://127.0.0.1:5443" })).MemberNames); // loopback: still needed
            Assert.Contains("does not", Assert.Single(Validate(new HttpSettings { Url = "https://0.0.0.0:5443", ApiKeys = [Key], CertificateFile = Path.Combine(dir, "none.pfx") })).ErrorMessage, StringComparison.Ordinal);
            Assert.Contains("password", Assert.Single(Validate(new HttpSettings { Url = "https://0.0.0.0:5443", ApiKeys = [Key], CertificateFile = pfx, CertificatePasswordEnv = wrong })).ErrorMessage, StringComparison.Ordinal);
            Assert.Empty(Validate(new HttpSettings { Url = "https://0.0.0.0:5443", ApiKeys = [Key], CertificateFile = pfx, CertificatePasswordEnv = variable }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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

public sealed class ExceptionStatusTests
{
    [Fact]
    public void A_database_that_does_not_answer_is_a_503_a_refused_body_its_own_4xx_and_anything_else_a_500()
    {
        Assert.Equal(503, WebSetup.StatusOf(new Microsoft.Data.Sqlite.SqliteException("database is locked", 5)));
        Assert.Equal(503, WebSetup.StatusOf(new TimeoutException()));
        Assert.Equal(413, WebSetup.StatusOf(new Microsoft.AspNetCore.Http.BadHttpRequestException("too large", 413)));
        Assert.Equal(500, WebSetup.StatusOf(new InvalidOperationException()));
    }
}
