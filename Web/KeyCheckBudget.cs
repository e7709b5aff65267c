namespace EnergyMonitor.Web;

/// <summary>
/// How many PBKDF2 derivations the service spends on unknown keys each second, across every client. One check of a
/// 100,000-iteration hash costs about 50 ms of a core here (ApiKeys); unbounded, 500 wrong keys from 50 addresses
/// kept both cores busy and a valid request's median went from 1.5 ms to 89 ms. Beyond the budget a check is not
/// made: the caller is told to retry in a second, which is not counted as a failure.
/// </summary>
public sealed class KeyCheckBudget(int perSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = perSecond;
    private DateTimeOffset _at = time.GetUtcNow();

    /// <summary>Takes <paramref name="derivations"/> from the budget, or nothing and false when it does not hold them.</summary>
    public bool TryTake(int derivations)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _tokens = Math.Min(perSecond, _tokens + ((now - _at).TotalSeconds * perSecond));
            _at = now;
            if (_tokens < derivations)
            {
                return false;
            }

            _tokens -= derivations;
            return true;
        }
    }
}
