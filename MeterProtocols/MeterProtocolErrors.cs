using System.Globalization;

namespace EnergyMonitor.MeterProtocols;

/// <summary>
/// What the meter sent does not follow its protocol: a bad checksum, a truncated frame, noise before the frame, a
/// reply from another address or to another data identifier, an illegal BCD digit, an unknown unit byte. The one
/// exception the codecs throw for bad input; no number is made of such a frame.
/// </summary>
public sealed class MeterFrameException(MeterFrameFault fault, string message) : IOException(message)
{
    /// <summary>What kind of fault, for the counters: each is counted apart.</summary>
    public MeterFrameFault Fault { get; } = fault;

    internal static MeterFrameException Of(MeterFrameFault fault, FormattableString message) =>
        new(fault, message.ToString(CultureInfo.InvariantCulture));
}

/// <summary>The kinds of malformed answer, each counted on its own.</summary>
public enum MeterFrameFault
{
    Checksum,
    Truncated,
    Noise,
    WrongAddress,
    WrongIdentifier,
    WrongControl,
    IllegalDigit,
    UnknownUnit,
    Length,
}

/// <summary>The connection to the gateway or serial port failed: refused, reset, unreachable, closed under us.</summary>
public sealed class MeterLineException(string endpoint, Exception inner)
    : IOException($"{endpoint}: {inner.Message}", inner)
{
    public string Endpoint { get; } = endpoint;
}

/// <summary>No complete answer within the response timeout: the meter is silent, absent or on another baud rate.</summary>
public sealed class MeterTimeoutException(string? meter, string endpoint, TimeSpan timeout)
    : TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no response from {(meter is null ? "the line" : "meter " + meter)} at {endpoint} within {timeout.TotalMilliseconds:F0} ms"))
{
    /// <summary>The meter asked; null when the line threw it and the client has not yet named the meter.</summary>
    public string? Meter { get; } = meter;

    public string Endpoint { get; } = endpoint;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>The same timeout, naming the meter (the line does not know addresses; naming costs a string only on failure).</summary>
    public MeterTimeoutException For(string meterName) => new(meterName, Endpoint, Timeout);
}
