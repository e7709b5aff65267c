namespace EnergyMonitor.Notifications;

/// <summary>A channel's rate: up to <c>perMinute</c> sends at once, refilled evenly over the minute.</summary>
public sealed class TokenBucket(int perMinute, TimeProvider time)
{
    private double _tokens = perMinute;
    private DateTimeOffset _at = time.GetUtcNow();

    public int Available
    {
        get
        {
            Refill();
            return (int)Math.Floor(_tokens);
        }
    }

    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>How long until one token is there.</summary>
    public TimeSpan UntilNext()
    {
        Refill();
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromMinutes((1 - _tokens) / perMinute);
    }

    private void Refill()
    {
        var now = time.GetUtcNow();
        _tokens = Math.Min(perMinute, _tokens + ((now - _at).TotalMinutes * perMinute));
        _at = now;
    }
}
