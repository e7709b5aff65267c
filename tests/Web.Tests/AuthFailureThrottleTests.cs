using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Web.Tests;

public sealed class AuthFailureThrottleTests
{
    [Fact]
    public void A_client_is_refused_after_its_failures_for_the_rest_of_the_minute_and_others_are_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var throttle = new AuthFailureThrottle(3, time);
        var attacker = IPAddress.Parse("10.0.0.9");
        var officer = IPAddress.Parse("10.0.0.2");

        throttle.RecordFailure(attacker);
        throttle.RecordFailure(attacker);
        Assert.Null(throttle.BlockedUntil(attacker));
        throttle.RecordFailure(attacker);
        Assert.Equal(time.GetUtcNow().AddMinutes(1), throttle.BlockedUntil(attacker));
        Assert.Null(throttle.BlockedUntil(officer));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(throttle.BlockedUntil(attacker));
        throttle.RecordFailure(attacker); // a new window starts from one
        Assert.Null(throttle.BlockedUntil(attacker));
    }
}
