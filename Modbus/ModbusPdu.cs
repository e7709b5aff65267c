using System.Buffers.Binary;
using System.Globalization;

namespace EnergyMonitor.Modbus;

/// <summary>
/// Encodes requests and decodes responses at the PDU level (function code + data), independent of framing.
/// Every malformed response ends in <see cref="ModbusProtocolException"/>; nothing else escapes.
/// </summary>
public static class ModbusPdu
{
    public static bool IsRead(ModbusFunction function) => (byte)function is >= 1 and <= 4;

    public static bool IsBitRead(ModbusFunction function) => function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs;

    /// <summary>A read request (01–04): function, start address, quantity. Always 5 bytes.</summary>
    public static int WriteReadRequest(Span<byte> destination, ModbusFunction function, ushort address, ushort count)
    {
        var max = IsBitRead(function) ? ModbusLimits.MaxReadBits : ModbusLimits.MaxReadRegisters;
        if (!IsRead(function) || count < 1 || count > max || address + count > 0x10000)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"function 0x{(byte)function:X2} reads 1 to {max} items within the 65,536-address space");
        }

        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], count);
        return 5;
    }

    public static int WriteSingleCoilRequest(Span<byte> destination, ushort address, bool value)
    {
        destination[0] = (byte)ModbusFunction.WriteSingleCoil;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], value ? (ushort)0xFF00 : (ushort)0x0000);
        return 5;
    }

    public static int WriteSingleRegisterRequest(Span<byte> destination, ushort address, ushort value)
    {
        destination[0] = (byte)ModbusFunction.WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], value);
        return 5;
    }

    public static int WriteMultipleRegistersRequest(Span<byte> destination, ushort address, ReadOnlySpan<ushort> values)
    {
        if (values.Length is < 1 or > ModbusLimits.MaxWriteRegisters || address + values.Length > 0x10000)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"function 0x10 writes 1 to {ModbusLimits.MaxWriteRegisters} registers");
        }

        destination[0] = (byte)ModbusFunction.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)(values.Length * 2);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(6 + (2 * i))..], values[i]);
        }

        return 6 + (2 * values.Length);
    }

    public static int WriteMultipleCoilsRequest(Span<byte> destination, ushort address, ReadOnlySpan<bool> values)
    {
        if (values.Length is < 1 or > ModbusLimits.MaxWriteBits || address + values.Length > 0x10000)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"function 0x0F writes 1 to {ModbusLimits.MaxWriteBits} coils");
        }

        var byteCount = (values.Length + 7) / 8;
        destination[0] = (byte)ModbusFunction.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)byteCount;
        PackBits(values, destination.Slice(6, byteCount));
        return 6 + byteCount;
    }

    /// <summary>
    /// Checks that <paramref name="pdu"/> answers <paramref name="function"/>: an exception response becomes a
    /// <see cref="ModbusDeviceException"/>, any other function code a protocol error.
    /// </summary>
    public static void ThrowIfNotAnswerTo(ReadOnlySpan<byte> pdu, ModbusFunction function, byte unit, ushort address, string endpoint)
    {
        if (pdu.IsEmpty)
        {
            throw new ModbusProtocolException("empty response PDU");
        }

        if (pdu[0] == ((byte)function | 0x80))
        {
            if (pdu.Length != 2)
            {
                throw new ModbusProtocolException(Format($"exception response of {pdu.Length} bytes, expected 2"));
            }

            throw new ModbusDeviceException((ModbusExceptionCode)pdu[1], function, unit, address, endpoint);
        }

        if (pdu[0] != (byte)function)
        {
            throw new ModbusProtocolException(Format($"response function 0x{pdu[0]:X2} to a request with function 0x{(byte)function:X2}"));
        }
    }

    /// <summary>The registers of a 03/04 response, checked against the quantity requested.</summary>
    public static void DecodeRegisters(ReadOnlySpan<byte> pdu, int count, Span<ushort> destination)
    {
        var data = ReadData(pdu, 2 * count);
        for (var i = 0; i < count; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }
    }

    /// <summary>The bits of a 01/02 response, checked against the quantity requested.</summary>
    public static void DecodeBits(ReadOnlySpan<byte> pdu, int count, Span<bool> destination)
    {
        var data = ReadData(pdu, (count + 7) / 8);
        for (var i = 0; i < count; i++)
        {
            destination[i] = (data[i / 8] & (1 << (i % 8))) != 0;
        }
    }

    /// <summary>Write responses echo address and value (05, 06) or address and quantity (0F, 10).</summary>
    public static void CheckWriteEcho(ReadOnlySpan<byte> pdu, ushort address, ushort valueOrCount)
    {
        if (pdu.Length != 5)
        {
            throw new ModbusProtocolException(Format($"write response of {pdu.Length} bytes, expected 5"));
        }

        var echoedAddress = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var echoedValue = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        if (echoedAddress != address || echoedValue != valueOrCount)
        {
            throw new ModbusProtocolException(Format($"write response echoes 0x{echoedAddress:X4}/0x{echoedValue:X4}, expected 0x{address:X4}/0x{valueOrCount:X4}"));
        }
    }

    public static void PackBits(ReadOnlySpan<bool> values, Span<byte> destination)
    {
        destination.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                destination[i / 8] |= (byte)(1 << (i % 8));
            }
        }
    }

    private static ReadOnlySpan<byte> ReadData(ReadOnlySpan<byte> pdu, int expectedBytes)
    {
        if (pdu.Length < 2)
        {
            throw new ModbusProtocolException(Format($"read response of {pdu.Length} bytes is truncated"));
        }

        if (pdu[1] != expectedBytes)
        {
            throw new ModbusProtocolException(Format($"read response byte count {pdu[1]}, expected {expectedBytes}"));
        }

        if (pdu.Length != 2 + expectedBytes)
        {
            throw new ModbusProtocolException(Format($"read response of {pdu.Length} bytes, expected {2 + expectedBytes}"));
        }

        return pdu.Slice(2, expectedBytes);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
