using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EnergyMonitor.Web;

/// <summary>
/// The HTTP endpoint (<c>EnergyMonitor:Http</c>): /health, /metrics, the JSON API and the web console, in the
/// service's own process. Loopback by default; anything wider needs a key and TLS, or plain HTTP said out loud.
/// </summary>
public sealed class HttpSettings : IValidatableObject
{
    public bool Enabled { get; set; } = true;

    /// <summary>One URL Kestrel listens on, e.g. http://127.0.0.1:5080 or https://0.0.0.0:5443.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Url { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The keys that may call the API and sign in to the console; only their PBKDF2 hashes are kept here.</summary>
    public List<ApiKeySettings> ApiKeys { get; set; } = [];

    /// <summary>Serve plain HTTP on an address other than loopback (behind a TLS-terminating proxy, say).</summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>The certificate (PFX) for an https URL, and the environment variable holding its password.</summary>
    public string? CertificateFile { get; set; }

    public string? CertificatePasswordEnv { get; set; }

    /// <summary>Serve the OpenAPI document at /openapi/v1.json and a browsable page of it at /openapi.</summary>
    public bool OpenApi { get; set; }

    /// <summary>How long a console session lasts from sign-in, however active; then the officer signs in again.</summary>
    [Range(1, 168)]
    public int SessionHours { get; set; } = 12;

    /// <summary>How long a console session may sit unused before it ends; the next request signs in again.</summary>
    [Range(5, 1440)]
    public int SessionIdleMinutes { get; set; } = 120;

    /// <summary>Wrong passwords in a row that lock an account (an admin unlocks it, or it waits <see cref="LockoutMinutes"/>).</summary>
    [Range(3, 100)]
    public int LockoutAttempts { get; set; } = 5;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// PBKDF2 derivations per second the service spends on keys it has not seen pass, across all clients (a key
    /// check costs one per configured key, about 50 ms of a core each); beyond it new keys wait a second.
    /// </summary>
    [Range(1, 1000)]
    public int KeyChecksPerSecond { get; set; } = 20;

    /// <summary>
    /// Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, e.g. 127.0.0.1 or 10.0.0.0/24):
    /// the throttle then counts the client's address, not the proxy's. Empty: the header is ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Host names (and host:port) the service answers to, e.g. energy.example.gov.cn; others get 400. Empty: any,
    /// which is safe because the service's redirects are paths, never built from the Host header.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Failed sign-ins a client may make per minute before it is refused for the rest of the minute.</summary>
    [Range(1, 1000)]
    public int FailedAuthPerMinute { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Sign-in and the audit log name a key by its name, so names are unique.
        var names = new HashSet<string>(StringComparer.Ordinal);
        var repeat = ApiKeys.FindIndex(k => !names.Add(k.Name));
        if (repeat >= 0)
        {
            yield return new ValidationResult($"items with different Names; [{repeat}] repeats \"{ApiKeys[repeat].Name}\"", [nameof(ApiKeys)]);
        }

        for (var i = 0; i < AllowedHosts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(AllowedHosts[i]) || AllowedHosts[i].Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '\\' or '@'))
            {
                yield return new ValidationResult($"a host name such as energy.example.gov.cn, optionally with :port, or *.example.gov.cn (found \"{AllowedHosts[i]}\")", [$"{nameof(AllowedHosts)}[{i}]"]);
            }
        }

        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!IPAddress.TryParse(TrustedProxies[i], out _) && !System.Net.IPNetwork.TryParse(TrustedProxies[i], out _))
            {
                yield return new ValidationResult($"an IP address or a CIDR network such as 10.0.0.0/24 (found \"{TrustedProxies[i]}\")", [$"{nameof(TrustedProxies)}[{i}]"]);
            }
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"an absolute http:// or https:// URL with a port, e.g. http://127.0.0.1:5080 (found \"{Url}\")", [nameof(Url)]);
            yield break;
        }

        if (uri.Host != "localhost" && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
        {
            yield return new ValidationResult($"an IP address to listen on, or localhost (found \"{uri.Host}\"; 0.0.0.0 listens on every IPv4 address)", [nameof(Url)]);
            yield break;
        }

        if (Enabled && uri.Scheme == "https" && CertificateProblem() is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(CertificateFile)]);
        }

        if (!Enabled || IsLoopback(uri))
        {
            yield break;
        }

        // No key is needed to listen beyond loopback: the console asks every person for an account and the API every
        // caller for a key, so with neither nothing is served but /health, /metrics and the sign-in page.
        if (uri.Scheme == "http" && !AllowPlainHttp)
        {
            yield return new ValidationResult(
                $"true to serve plain HTTP on {uri.Host}, which is not loopback (keys would cross the network in clear); or use an https:// Url with CertificateFile",
                [nameof(AllowPlainHttp)]);
        }
    }

    /// <summary>
    /// Why the https certificate cannot be used, or null: checked when the settings load, so that check-config says
    /// it and run does not start Kestrel into a stack trace (loopback included: https there needs it too).
    /// </summary>
    private string? CertificateProblem()
    {
        if (string.IsNullOrEmpty(CertificateFile))
        {
            return "a PFX certificate file for the https:// Url";
        }

        if (!File.Exists(CertificateFile))
        {
            return $"a PFX certificate file that exists (found \"{CertificateFile}\", which does not)";
        }

        try
        {
            var password = CertificatePasswordEnv is { } env ? Environment.GetEnvironmentVariable(env) : null;
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(CertificateFile, password);
            return certificate.HasPrivateKey ? null : $"a PFX with the certificate's private key (\"{CertificateFile}\" has none)";
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"a PFX that opens with the password in {(CertificatePasswordEnv is { } env ? $"${env}" : "no password")} (\"{CertificateFile}\": {e.Message})";
        }
    }

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

public sealed class ApiKeySettings : IValidatableObject
{
    /// <summary>Who holds the key, as sign-in and the audit log show it: printable text, at most 64 characters.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^[^\p{C}]{1,64}$", ErrorMessage = "a name of 1 to 64 printable characters (no control characters such as NUL)")]
    public string Name { get; set; } = "";

    /// <summary>What <c>energymonitor apikey new</c> printed: pbkdf2-sha256$iterations$salt$hash.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^pbkdf2-sha256\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$", ErrorMessage = "a hash printed by 'energymonitor apikey new' (pbkdf2-sha256$iterations$salt$hash)")]
    public string Hash { get; set; } = "";

    [AllowedValues("viewer", "operator", "admin", ErrorMessage = "viewer, operator or admin")]
    public string Role { get; set; } = "viewer";

    // A hash that matches the pattern but that the verifier refuses (iterations past its bound, a salt that is not
    // base64) passed check-config and then let nobody in.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApiKeys.HashProblem(Hash) is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(Hash)]);
        }
    }
}
