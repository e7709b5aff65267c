using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace EnergyMonitor.Web;

/// <summary>A caller the key ring recognised: the key's name and role.</summary>
/// <param name="Hash">The configured hash that matched: a session started with it ends when the key is re-issued.</param>
public sealed record ApiCaller(string Name, string Role, string Hash = "");

/// <summary>What checking a presented key found.</summary>
public enum KeyCheck
{
    Valid,
    Invalid,

    /// <summary>The service's budget of key checks is spent for this second: not checked, not a failure.</summary>
    Busy,
}

/// <summary>The configured keys: checks a presented key against each hash once, then remembers it by its SHA-256.</summary>
public sealed class KeyRing(IReadOnlyList<ApiKeySettings> keys, KeyCheckBudget? budget = null)
{
    // Only keys that passed are remembered: failures would let anyone grow this without bound.
    private readonly ConcurrentDictionary<string, ApiCaller> _known = new(StringComparer.Ordinal);

    public bool IsEmpty => keys.Count == 0;

    /// <summary>Whether the caller's key is still configured, under the same name, role and hash.</summary>
    public bool StillIssued(ApiCaller caller) => keys.Any(k => k.Name == caller.Name && k.Role == caller.Role && k.Hash == caller.Hash);

    public ApiCaller? Find(string presented) => Check(presented, out var caller) == KeyCheck.Valid ? caller : null;

    /// <summary>The caller of a key that already passed, without any PBKDF2 work; null for one not seen to pass.</summary>
    public ApiCaller? Known(string presented) =>
        presented.Length is >= 8 and <= 200 && _known.TryGetValue(Digest(presented), out var caller) && StillIssued(caller) ? caller : null;

    public KeyCheck Check(string presented, out ApiCaller? caller)
    {
        caller = Known(presented);
        if (caller is not null)
        {
            return KeyCheck.Valid;
        }

        if (presented.Length is < 8 or > 200 || !presented.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal))
        {
            return KeyCheck.Invalid; // not a key of ours at all: no derivation spent on it
        }

        if (budget is not null && !budget.TryTake(keys.Count))
        {
            return KeyCheck.Busy;
        }

        foreach (var key in keys)
        {
            if (ApiKeys.Verify(presented, key.Hash))
            {
                caller = _known[Digest(presented)] = new ApiCaller(key.Name, key.Role, key.Hash);
                return KeyCheck.Valid;
            }
        }

        return KeyCheck.Invalid;
    }

    private static string Digest(string presented) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
