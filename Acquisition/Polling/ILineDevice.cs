using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>Which of a meter's points one poll reads.</summary>
public enum PointSelection
{
    /// <summary>Everything read on the meter's interval (all points when it has no fast interval).</summary>
    Slow,

    /// <summary>The fast points (power, voltage), read every fast interval.</summary>
    Fast,

    /// <summary>Every point, as a commissioning scan reads them.</summary>
    All,
}

/// <summary>
/// One meter on a line, whatever its protocol: it knows how to ask for its points and how to turn the answers into
/// samples. The <see cref="GatewayPoller"/> owns the schedule, the breakers and the one-request-at-a-time rule.
/// </summary>
public interface ILineDevice
{
    Meter Meter { get; }

    /// <summary>Who answers on the line ("unit 3", "address 000000000161"): one breaker per device.</summary>
    string Device { get; }

    /// <summary>The template's name.</summary>
    string TemplateName { get; }

    TimeSpan? FastInterval { get; }

    /// <summary>The name of the point whose value is the meter's reading (samples carry a null point for it).</summary>
    string PrimaryPoint { get; }

    /// <summary>
    /// Reads the selected points. A point the meter refuses or answers with a malformed frame is a missing sample; a
    /// silent meter, a broken line or a line out of step throws, so that the poller's breakers see it.
    /// </summary>
    Task<List<Sample>> ReadAsync(PointSelection which, DateTimeOffset requestTime, CancellationToken cancellationToken);

    /// <summary>The samples of a poll that could not ask the meter: every selected point missing.</summary>
    List<Sample> Missing(PointSelection which, DateTimeOffset requestTime);

    /// <summary>The unit a point's raw value is in, for commissioning tables.</summary>
    string UnitOf(string point);
}

/// <summary>The connection a gateway's devices share.</summary>
public interface IMeterLine : IAsyncDisposable
{
    string Endpoint { get; }

    ValueTask CloseAsync();
}
