using System.Collections.Concurrent;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.MeterProtocols;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Acquisition.MeterBus;

/// <summary>
/// Malformed answers, counted per meter and kind (bad checksum, wrong address, illegal digit …) and logged at most
/// once per meter and kind an hour: a meter with a failing transmitter answers wrongly every poll, and a log line every
/// 15 minutes for a year drowns what else the log says. The counts go to /metrics through the observer.
/// </summary>
public sealed class FrameFaults(TimeProvider time, ILogger logger, Action<string, MeterId, MeterFrameFault>? observer = null)
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<(MeterId, MeterFrameFault), long> _counts = new();
    private readonly ConcurrentDictionary<(MeterId, MeterFrameFault), DateTimeOffset> _logged = new();

    public long Count(MeterId meter, MeterFrameFault fault) => _counts.GetValueOrDefault((meter, fault));

    public long Total => _counts.Values.Sum();

    public void Record(string gateway, MeterId meter, string device, MeterFrameException e)
    {
        var key = (meter, e.Fault);
        var count = _counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        observer?.Invoke(gateway, meter, e.Fault);
        var now = time.GetUtcNow();
        if (!_logged.TryGetValue(key, out var last) || now - last >= LogEvery)
        {
            _logged[key] = now;
            logger.LogWarning("Meter {Meter} ({Device} on {Gateway}): malformed answer ({Fault}, {Count} so far): {Error}; the reading is missing, not guessed",
                meter, device, gateway, e.Fault, count, e.Message);
        }
    }
}
