using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Web.Tests;

/// <summary>A client hammering one bad request writes one line a minute, with the count of the rest.</summary>
public sealed class RefusalLogTests
{
    [Fact]
    public void A_thousand_refusals_of_one_cause_in_a_minute_are_one_line_and_the_next_minute_says_how_many_more()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var logger = new Recorder();
        var log = new RefusalLog(logger, time);

        for (var i = 0; i < 1000; i++)
        {
            log.Note(400, "invalid parameter", $"/api/v1/consumption?from={i}");
        }

        log.Note(401, "API key required", "/api/v1/site"); // another cause has its own line
        time.Advance(TimeSpan.FromSeconds(61));
        log.Note(400, "invalid parameter", "/api/v1/consumption");

        Assert.Equal(3, logger.Lines.Count);
        Assert.Contains("(0 more", logger.Lines[0]);
        Assert.StartsWith("Refused 401 API key required", logger.Lines[1]);
        Assert.Contains("(999 more", logger.Lines[2]);
    }

    [Fact]
    public void Causes_beyond_the_bound_share_one_entry_so_the_memory_stays_bounded()
    {
        var logger = new Recorder();
        var log = new RefusalLog(logger, new FakeTimeProvider());

        for (var i = 0; i < 10_000; i++)
        {
            log.Note(400, $"title {i}", "/");
        }

        Assert.Equal(257, logger.Lines.Count); // 256 causes and "(other)"
        Assert.Contains("(other)", logger.Lines[^1]);
    }

    private sealed class Recorder : ILogger<RefusalLog>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => Lines.Add(formatter(state, exception));
    }
}
