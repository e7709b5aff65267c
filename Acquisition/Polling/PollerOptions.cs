namespace EnergyMonitor.Acquisition.Polling;

/// <summary>How the poller treats failing devices and gateways.</summary>
public sealed record PollerOptions
{
    /// <summary>Consecutive timeouts that park a device.</summary>
    public int DeviceFailuresToPark { get; init; } = 2;

    /// <summary>How long a parked device is left alone before one probe request.</summary>
    public TimeSpan DeviceProbeInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a gateway that refused or dropped connections is left alone before trying again.</summary>
    public TimeSpan GatewayRetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Read every meter once at start-up instead of waiting for the first aligned slot.</summary>
    public bool PollOnStart { get; init; } = true;

    /// <summary>Told of every meter read: the gateway, how long it took, and whether it answered (metrics and health listen here).</summary>
    public Action<string, TimeSpan, bool>? Observer { get; init; }

    /// <summary>Told of every malformed DL/T 645 or CJ/T 188 answer: the gateway, the meter and the kind of fault.</summary>
    public Action<string, Core.Domain.MeterId, MeterProtocols.MeterFrameFault>? FrameFaultObserver { get; init; }
}
