using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace EnergyMonitor.Web;

/// <summary>A caller the key ring recognised: the key's name and role.</summary>
public sealed record ApiCaller(string Name, string Role);

/// <summary>The configured keys: checks a presented key against each hash once, then remembers it by its SHA-256.</summary>
public sealed class KeyRing(IReadOnlyList<ApiKeySettings> keys)
{
    // Only keys that passed are remembered: failures would let anyone grow this without bound.
    private readonly ConcurrentDictionary<string, ApiCaller> _known = new(StringComparer.Ordinal);

    public bool IsEmpty => keys.Count == 0;

    public ApiCaller? Find(string presented)
    {
        if (presented.Length is < 8 or > 200)
        {
            return null;
        }

        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
        if (_known.TryGetValue(digest, out var caller))
        {
            return caller;
        }

        foreach (var key in keys)
        {
            if (ApiKeys.Verify(presented, key.Hash))
            {
                return _known[digest] = new ApiCaller(key.Name, key.Role);
            }
        }

        return null;
    }
}
