using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Notifications.Tests;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_robot_of_20_a_minute_sends_20_at_once_then_one_every_3_seconds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        var bucket = new TokenBucket(20, time);

        var burst = Enumerable.Range(0, 25).Count(_ => bucket.TryTake());

        Assert.Equal(20, burst);
        Assert.Equal(TimeSpan.FromSeconds(3), bucket.UntilNext());
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(bucket.TryTake());
    }

    [Fact]
    public void An_idle_hour_refills_to_the_rate_and_no_further()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        var bucket = new TokenBucket(20, time);
        while (bucket.TryTake())
        {
        }

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(20, bucket.Available);
        Assert.Equal(TimeSpan.Zero, bucket.UntilNext());
    }
}
