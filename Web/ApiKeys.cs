using System.Security.Cryptography;
using System.Text;

namespace EnergyMonitor.Web;

/// <summary>
/// API keys: 256 random bits shown once, kept only as a salted PBKDF2-SHA256 hash in the settings. A key that random
/// cannot be guessed, so the iteration count guards a leaked settings file, not the key; 100,000 keeps a check near
/// 50 ms here, and a key that passed once is remembered (by its SHA-256, in memory) so requests do not pay it again.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "em_";
    private const int Iterations = 100_000;

    public static IReadOnlyList<string> Roles { get; } = ["viewer", "operator", "admin"];

    public static string NewKey() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(key), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>The verifier's bound on iterations: a larger count would cost a core for seconds a check.</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>Why <paramref name="stored"/> can never verify a key, or null when it can.</summary>
    public static string? HashProblem(string stored) => Parse(stored).Problem;

    /// <summary>Whether <paramref name="key"/> is the key <paramref name="stored"/> was made from; false for a malformed hash.</summary>
    public static bool Verify(string key, string stored)
    {
        if (Parse(stored).Hash is not { } hash)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(key), hash.Salt, hash.Iterations, HashAlgorithmName.SHA256, hash.Expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, hash.Expected);
    }

    /// <summary>
    /// The one reading of pbkdf2-sha256$iterations$salt$hash, for the settings' check and the verifier alike: a hash
    /// the settings accept is one the verifier can use (they were two parsers, and a count past the verifier's bound
    /// passed check-config and then let nobody in).
    /// </summary>
    private static (StoredHash? Hash, string? Problem) Parse(string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256")
        {
            return (null, "a hash printed by 'energymonitor apikey new' (pbkdf2-sha256$iterations$salt$hash)");
        }

        if (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > MaxIterations)
        {
            return (null, $"an iteration count from 1 to {MaxIterations:N0} (found {(parts[1].Length <= 20 ? $"\"{parts[1]}\"" : $"{parts[1].Length} characters")})");
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            if (salt.Length > 0 && expected.Length > 0)
            {
                return (new StoredHash(iterations, salt, expected), null);
            }
        }
        catch (FormatException)
        {
        }

        return (null, "a salt and a hash in base64, as 'energymonitor apikey new' prints them");
    }

    private sealed record StoredHash(int Iterations, byte[] Salt, byte[] Expected);

    /// <summary>Whether a role may do what <paramref name="required"/> may: admin ⊇ operator ⊇ viewer.</summary>
    public static bool Allows(string role, string required) => Rank(role) >= Rank(required);

    private static int Rank(string role) => role switch
    {
        "admin" => 3,
        "operator" => 2,
        "viewer" => 1,
        _ => 0,
    };
}
