using System.Text.Json;
using EnergyMonitor.Service.Hosting.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Service.Tests.Hosting;

public sealed class HealthFilePublisherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-health-").FullName;

    private sealed class Recorder : ILogger<HealthFilePublisher>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    private static HealthReport Report(HealthStatus mqtt) => new(
        new Dictionary<string, HealthReportEntry>
        {
            ["mqtt"] = new(mqtt, mqtt == HealthStatus.Healthy ? "1 broker(s) subscribed" : "site (127.0.0.1:1883): connection refused", TimeSpan.Zero, null,
                new Dictionary<string, object> { ["site"] = new Dictionary<string, object?> { ["state"] = mqtt == HealthStatus.Healthy ? "subscribed" : "disconnected" } }),
            ["outbox"] = new(HealthStatus.Healthy, "embedded store; no outbox", TimeSpan.Zero, null, null),
        },
        TimeSpan.Zero);

    [Fact]
    public async Task The_file_holds_the_latest_report_and_only_status_changes_are_logged()
    {
        var path = Path.Combine(_dir, "health.json");
        var log = new Recorder();
        var publisher = new HealthFilePublisher(path, new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero)), log);

        await publisher.PublishAsync(Report(HealthStatus.Healthy), TestContext.Current.CancellationToken);
        await publisher.PublishAsync(Report(HealthStatus.Unhealthy), TestContext.Current.CancellationToken);
        await publisher.PublishAsync(Report(HealthStatus.Unhealthy), TestContext.Current.CancellationToken);
        await publisher.PublishAsync(Report(HealthStatus.Healthy), TestContext.Current.CancellationToken);
        await publisher.PublishAsync(Report(HealthStatus.Unhealthy), TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        var mqtt = json.RootElement.GetProperty("checks").GetProperty("mqtt");
        Assert.Equal("site (127.0.0.1:1883): connection refused", mqtt.GetProperty("description").GetString());
        Assert.Equal("disconnected", mqtt.GetProperty("data").GetProperty("site").GetProperty("state").GetString());
        Assert.False(File.Exists(path + ".tmp"));

        // Healthy at start says nothing; then down, up, down: three changes, none for the repeat.
        Assert.Equal([LogLevel.Warning, LogLevel.Information, LogLevel.Warning], log.Entries.Select(e => e.Level));
        Assert.All(log.Entries, e => Assert.Contains("mqtt", e.Message));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
