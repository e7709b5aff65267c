using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Web.Tests;

public sealed class AuthFailureThrottleTests
{
    private const string Guess = "em_guess-guess-guess";

    [Fact]
    public void A_client_is_refused_after_its_failures_for_the_rest_of_the_minute_and_others_are_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var throttle = new AuthFailureThrottle(3, time);
        var attacker = IPAddress.Parse("10.0.0.9");
        var officer = IPAddress.Parse("10.0.0.2");

        throttle.RecordFailure(attacker, Guess);
        throttle.RecordFailure(attacker, Guess);
        Assert.Null(throttle.BlockedUntil(attacker, Guess));
        throttle.RecordFailure(attacker, Guess);
        Assert.Equal(time.GetUtcNow().AddMinutes(1), throttle.BlockedUntil(attacker, Guess));
        Assert.Null(throttle.BlockedUntil(officer, Guess));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(throttle.BlockedUntil(attacker, Guess));
        throttle.RecordFailure(attacker, Guess); // a new window starts from one
        Assert.Null(throttle.BlockedUntil(attacker, Guess));
    }

    [Fact]
    public void Behind_one_proxy_address_a_guessers_key_prefix_is_refused_and_another_keys_is_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var throttle = new AuthFailureThrottle(3, time);
        var proxy = IPAddress.Parse("10.0.0.1");

        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure(proxy, Guess + i);
        }

        Assert.NotNull(throttle.BlockedUntil(proxy, Guess));
        Assert.Null(throttle.BlockedUntil(proxy, "em_Xk29aQv7officerskey"));
    }

    [Fact]
    public void An_address_spraying_many_prefixes_is_refused_at_ten_times_the_limit()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var throttle = new AuthFailureThrottle(3, time);
        var sprayer = IPAddress.Parse("10.0.0.7");

        for (var i = 0; i < 29; i++)
        {
            throttle.RecordFailure(sprayer, $"em_{i:D5}xxxxxxxx");
        }

        Assert.Null(throttle.BlockedUntil(sprayer, "em_fresh-prefix"));
        throttle.RecordFailure(sprayer, "em_99999xxxxxxxx");
        Assert.NotNull(throttle.BlockedUntil(sprayer, "em_fresh-prefix"));
    }
}
