using System.Text.RegularExpressions;

namespace EnergyMonitor.Web.Accounts;

/// <summary>Sign-in names: 2 to 32 of a–z, 0–9, '.', '-' and '_', starting with a letter; typed in any case, kept in lower case.</summary>
public static partial class AccountNames
{
    public static string Normalise(string name) => name.Trim().ToLowerInvariant();

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>A display name: 1 to 64 printable characters; shown as text wherever it appears.</summary>
    public static bool IsValidDisplayName(string name) => name.Length is >= 1 and <= 64 && !name.Any(char.IsControl);

    [GeneratedRegex("^[a-z][a-z0-9._-]{1,31}$")]
    private static partial Regex Pattern();
}
