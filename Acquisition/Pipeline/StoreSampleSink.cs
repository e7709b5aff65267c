using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Acquisition.Pipeline;

/// <summary>The sink in front of the reading store: normalises and writes; done when the store has made them durable.</summary>
public sealed class StoreSampleSink(SampleNormalizer normalizer, IReadingStore store) : ISampleSink
{
    private long _unknownMeter;

    /// <summary>Samples dropped because their meter is not in the site (a config changed under a running poll).</summary>
    public long UnknownMeterSamples => Interlocked.Read(ref _unknownMeter);

    public async ValueTask AcceptAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken)
    {
        var readings = new List<Reading>(samples.Count);
        foreach (var sample in samples)
        {
            if (normalizer.TryNormalize(sample, out var reading))
            {
                readings.Add(reading);
            }
            else
            {
                Interlocked.Increment(ref _unknownMeter);
            }
        }

        await store.WriteAsync(readings, cancellationToken).ConfigureAwait(false);
    }
}
