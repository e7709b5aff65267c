using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Simulation;

/// <summary>What the demo's history run wrote.</summary>
/// <param name="Published">Readings that went through the embedded broker and the MQTT ingestor.</param>
public sealed record DemoHistoryOutcome(long Written, int Published, IReadOnlyList<MeterId> MqttMeters, IReadOnlyDictionary<QuarantineReason, long> Quarantined,
    IReadOnlyDictionary<MeterId, Reading> Last, IReadOnlyDictionary<MeterId, double> Used);

/// <summary>
/// Simulated history for the demo: every meter's readings from <c>from</c> to <c>to</c> into the store. Meters bound
/// to MQTT topics with a device timestamp publish their last days through an embedded broker and reach the store
/// through the real ingestor and pipeline; the rest are written directly, as a Modbus poll or an import would.
/// </summary>
public sealed class DemoHistory(SiteModel site, IReadingStore store, IQuarantine quarantine, TimeProvider time, Analytics.Anomalies.HolidayCalendar? calendar = null, IReadOnlyList<PlantedFault>? faults = null)
{
    private const int BatchSize = 50_000;

    /// <param name="simulated">Reports how far the simulation got, in minutes from <paramref name="from"/>.</param>
    /// <param name="publishing">Reports, once, how many readings will be published, then each batch published.</param>
    public async Task<DemoHistoryOutcome> WriteAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset liveFrom, int seed,
        Action<double> simulated, Action<int, int> publishing, CancellationToken cancellationToken)
    {
        var simulation = new SimulatedSite(site, seed, calendar, faults);
        var viaMqtt = site.Meters.Where(m => m.Source is MqttSource { Timestamp: not null }).ToDictionary(m => m.Id);
        var published = new List<(Meter Meter, Reading Reading)>();
        var written = 0L;
        var last = new Dictionary<MeterId, Reading>();
        var batch = new List<Reading>(BatchSize);
        foreach (var reading in simulation.Readings(from, to))
        {
            last[reading.Meter] = reading;
            if (reading.Timestamp >= liveFrom && viaMqtt.TryGetValue(reading.Meter, out var meter))
            {
                published.Add((meter, reading));
                continue;
            }

            batch.Add(reading);
            if (batch.Count == BatchSize)
            {
                await store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                written += batch.Count;
                simulated((reading.Timestamp - from).TotalMinutes);
                batch.Clear();
            }
        }

        await store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        written += batch.Count;
        simulated((to - from).TotalMinutes);

        IReadOnlyDictionary<QuarantineReason, long> quarantined = new Dictionary<QuarantineReason, long>();
        if (published.Count > 0)
        {
            publishing(published.Count, 0);
            (var stored, quarantined) = await PublishThroughBrokerAsync(published, to - liveFrom, n => publishing(published.Count, n), cancellationToken).ConfigureAwait(false);
            written += stored;
        }

        return new DemoHistoryOutcome(written, published.Count, [.. viaMqtt.Keys], quarantined, last, simulation.Used);
    }

    /// <summary>Starts the broker and an ingestor on it, publishes, and waits until every reading is stored.</summary>
    private async Task<(long Stored, IReadOnlyDictionary<QuarantineReason, long> Quarantined)> PublishThroughBrokerAsync(
        List<(Meter Meter, Reading Reading)> readings, TimeSpan span, Action<int> progress, CancellationToken cancellationToken)
    {
        await using var broker = await EmbeddedBroker.StartAsync(cancellationToken).ConfigureAwait(false);

        // The published days are history by now, so the late-data window covers them.
        var limits = PayloadLimits.Default with { LateWindow = span + TimeSpan.FromDays(2) };
        var options = new MqttBrokerOptions { Name = "demo", Host = "127.0.0.1", Port = broker.Port, ClientId = "energymonitor-demo" };
        await using var ingestor = new MqttIngestor(options, new MessageMapper(site, [], limits), new StoreSampleSink(new SampleNormalizer(site), store), quarantine, time, NullLogger.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = ingestor.RunAsync(stop.Token);
        while (!ingestor.IsReady)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        await SimulatedMqttMeters.PublishAsync(broker.Port, readings, progress, cancellationToken).ConfigureAwait(false);
        var seen = (Count: -1L, At: time.GetTimestamp());
        while (ingestor.Stored + ingestor.Quarantined.Values.Sum() is var done && done < readings.Count)
        {
            if (done != seen.Count)
            {
                seen = (done, time.GetTimestamp());
            }
            else if (time.GetElapsedTime(seen.At) > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"the embedded broker delivered {done:N0} of {readings.Count:N0} readings and then nothing for 30 s");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        return (ingestor.Stored, ingestor.Quarantined.ToDictionary());
    }
}
