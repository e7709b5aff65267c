namespace EnergyMonitor.MeterProtocols.Line;

/// <summary>Timing of one RS-485 line, reached through a transparent gateway or a local serial port.</summary>
public sealed record MeterLineOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long to wait for the whole answer. A DL/T 645 meter starts answering 20–500 ms after a request; at 2400
    /// baud a 24-byte answer then takes 110 ms more on the wire (docs/DOMAIN.md), so 1 s is the usual bound.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Some gateways drop the first request if it arrives right after the TCP handshake.</summary>
    public TimeSpan PauseAfterConnect { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Silence on the line between the last frame and the next request. Meters on a shared bus need a moment to turn
    /// their transmitters off; 20 ms is 5 characters at 2400 baud.
    /// </summary>
    public TimeSpan PauseBetweenRequests { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The wake-up bytes (FEH) sent before each request; some meters need all four, none minds them.</summary>
    public int Preamble { get; init; } = 4;

    /// <summary>Consecutive timeouts after which the connection is presumed half-open and re-established.</summary>
    public int ReconnectAfterTimeouts { get; init; } = 3;

    /// <summary>The most FEH bytes accepted before an answer's start byte; more is noise.</summary>
    public int MaxPreambleAccepted { get; init; } = 16;
}
