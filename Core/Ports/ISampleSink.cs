using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Ports;

/// <summary>Where acquisition hands its samples. When the task completes, the samples are durable.</summary>
public interface ISampleSink
{
    ValueTask AcceptAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken);
}
