using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>A sink that keeps what it is given, for assertions.</summary>
public sealed class CapturingSink : ISampleSink
{
    private readonly List<Sample> _samples = [];

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public ValueTask AcceptAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken)
    {
        lock (_samples)
        {
            _samples.AddRange(samples);
        }

        return ValueTask.CompletedTask;
    }
}
