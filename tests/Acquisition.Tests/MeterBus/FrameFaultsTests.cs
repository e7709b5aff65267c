using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.MeterProtocols;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Acquisition.Tests.MeterBus;

/// <summary>Every malformed answer is counted; the log hears of each meter and kind at most once an hour.</summary>
public sealed class FrameFaultsTests
{
    [Fact]
    public void A_meter_that_answers_badly_every_poll_is_counted_every_time_and_logged_once_an_hour()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var log = new Lines();
        var observed = new List<MeterFrameFault>();
        var faults = new FrameFaults(time, log, (_, _, f) => observed.Add(f));
        var meter = new MeterId("hos-lifts");
        var checksum = new MeterFrameException(MeterFrameFault.Checksum, "checksum 5A, expected 00");

        for (var i = 0; i < 4; i++)
        {
            faults.Record("gw", meter, "address 202312000461", checksum);
            time.Advance(TimeSpan.FromMinutes(15));
        }

        faults.Record("gw", meter, "address 202312000461", new MeterFrameException(MeterFrameFault.Noise, "byte 00 before the start of a frame"));
        faults.Record("gw", new MeterId("hos-it"), "address 202312000462", checksum);

        Assert.Equal(4, faults.Count(meter, MeterFrameFault.Checksum));
        Assert.Equal(6, faults.Total);
        Assert.Equal(6, observed.Count);
        // 08:00 logged; 08:15, 08:30 and 08:45 not; at 09:00 the noise and the other meter are kinds of their own.
        Assert.Equal(3, log.Count);

        // An hour after the first line, the same kind is told again, with its count.
        faults.Record("gw", meter, "address 202312000461", checksum);
        Assert.Equal(4, log.Count);
        Assert.Contains("5 so far", log.Messages[^1], StringComparison.Ordinal);
    }

    private sealed class Lines : ILogger
    {
        public List<string> Messages { get; } = [];

        public int Count => Messages.Count;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
