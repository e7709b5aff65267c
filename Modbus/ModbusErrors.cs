using System.Globalization;

namespace EnergyMonitor.Modbus;

/// <summary>
/// A frame that does not follow the protocol: wrong length, transaction id, unit id, function or CRC, or a
/// truncated frame. The only exception the codecs throw for bad input; the connection is no longer in sync.
/// </summary>
public sealed class ModbusProtocolException(string message) : IOException(message);

/// <summary>
/// The connection to a device or gateway failed: refused, reset, unreachable, closed under us. The one exception the
/// transport lets out for the network or serial line, so that callers need not know sockets from serial ports.
/// </summary>
public sealed class ModbusCommunicationException(string endpoint, Exception inner)
    : IOException($"{endpoint}: {inner.Message}", inner)
{
    public string Endpoint { get; } = endpoint;
}

/// <summary>A device answered with a Modbus exception response; the connection itself is fine.</summary>
public sealed class ModbusDeviceException(ModbusExceptionCode code, ModbusFunction function, byte unit, ushort address, string endpoint)
    : Exception(Describe(code, function, unit, address, endpoint))
{
    public ModbusExceptionCode Code { get; } = code;

    public ModbusFunction Function { get; } = function;

    public byte Unit { get; } = unit;

    public ushort Address { get; } = address;

    public string Endpoint { get; } = endpoint;

    public static string Name(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.IllegalFunction => "illegal function",
        ModbusExceptionCode.IllegalDataAddress => "illegal data address",
        ModbusExceptionCode.IllegalDataValue => "illegal data value",
        ModbusExceptionCode.ServerDeviceFailure => "server device failure",
        ModbusExceptionCode.Acknowledge => "acknowledge",
        ModbusExceptionCode.ServerDeviceBusy => "server device busy",
        ModbusExceptionCode.MemoryParityError => "memory parity error",
        ModbusExceptionCode.GatewayPathUnavailable => "gateway path unavailable",
        ModbusExceptionCode.GatewayTargetFailedToRespond => "gateway target device failed to respond",
        _ => string.Create(CultureInfo.InvariantCulture, $"exception code 0x{(byte)code:X2}"),
    };

    private static string Describe(ModbusExceptionCode code, ModbusFunction function, byte unit, ushort address, string endpoint) =>
        string.Create(CultureInfo.InvariantCulture, $"{Name(code)} 0x{address:X4} on unit {unit} at {endpoint} (function 0x{(byte)function:X2})");
}

/// <summary>No (complete) answer within the response timeout.</summary>
public sealed class ModbusTimeoutException(byte unit, string endpoint, TimeSpan timeout)
    : TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no response from unit {unit} at {endpoint} within {timeout.TotalMilliseconds:F0} ms"))
{
    public byte Unit { get; } = unit;
}
