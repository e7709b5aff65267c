using System.Security.Cryptography;

namespace EnergyMonitor.Web.Accounts;

/// <summary>
/// People's passwords: PBKDF2-SHA256 in the API keys' format (<see cref="ApiKeys"/>), at 600,000 iterations, OWASP's
/// figure for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 2023). A person's password, unlike a random key, can
/// be guessed from a leaked hash, so it pays six times a key's count: about 0.3 s of a core per check here, spent only
/// at sign-in and taken from the service's budget of derivations (<see cref="KeyCheckBudget"/>).
/// </summary>
public static class Passwords
{
    public const int Iterations = 600_000;

    /// <summary>How many key-sized derivations one password check costs against the budget.</summary>
    public const int BudgetCost = 6;

    public const int MinLength = 10;

    public const int MaxLength = 128;

    public static string Hash(string password, int iterations = Iterations) => ApiKeys.Hash(password, iterations);

    public static bool Verify(string password, string hash) => password.Length <= MaxLength && ApiKeys.Verify(password, hash);

    /// <summary>A hash no password matches, verified for an unknown name so that its answer takes as long as a real one's.</summary>
    public static string Decoy { get; } = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    /// <summary>Why a new password is refused, in both languages, or null when it is acceptable (NIST SP 800-63B § 5.1.1.2: length, not composition rules).</summary>
    public static Core.Domain.LocalizedText? Problem(string password, string accountName)
    {
        if (password.Length < MinLength)
        {
            return new($"密码至少 {MinLength} 个字符", $"a password of at least {MinLength} characters");
        }

        if (password.Length > MaxLength)
        {
            return new($"密码至多 {MaxLength} 个字符", $"a password of at most {MaxLength} characters");
        }

        if (password.Contains(accountName, StringComparison.OrdinalIgnoreCase) || password.Distinct().Count() < 4)
        {
            return new("密码不能包含用户名，也不能由少数几个字符重复组成", "a password that does not contain the user name and is not a few characters repeated");
        }

        return null;
    }

    /// <summary>A password for an account made by a command or an admin: 16 characters from an alphabet without look-alikes (about 90 bits).</summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(16, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
