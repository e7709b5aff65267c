namespace EnergyMonitor.Modbus;

/// <summary>Timing of one connection, including the quirks real gateways need.</summary>
public sealed record ModbusTransportOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait for a complete response. Serial gateways at 9600 baud need 200–500 ms.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Some gateways drop the first request if it arrives right after the TCP handshake.</summary>
    public TimeSpan PauseAfterConnect { get; init; } = TimeSpan.Zero;

    /// <summary>Some gateways need a gap between requests beyond the RTU inter-frame silence.</summary>
    public TimeSpan PauseBetweenRequests { get; init; } = TimeSpan.Zero;

    /// <summary>RTU only: the line silence before each request; defaults to 3.5 characters at 9600 baud.</summary>
    public TimeSpan InterFrameDelay { get; init; } = RtuFrame.InterFrameDelay(9600);

    /// <summary>
    /// Consecutive timeouts after which the connection is presumed half-open and re-established. Any answer
    /// resets the count, so one dead meter behind a live gateway does not cause reconnects.
    /// </summary>
    public int ReconnectAfterTimeouts { get; init; } = 3;
}
