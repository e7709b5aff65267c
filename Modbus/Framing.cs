using System.Buffers.Binary;
using System.Globalization;

namespace EnergyMonitor.Modbus;

/// <summary>How PDUs travel: MBAP over TCP, or RTU frames (over a serial line or through a serial-to-Ethernet gateway).</summary>
public enum ModbusFraming
{
    Tcp,
    Rtu,
}

/// <summary>The MBAP header of Modbus Messaging on TCP/IP V1.0b §3.1.3: transaction, protocol (0), length, unit.</summary>
public readonly record struct MbapHeader(ushort TransactionId, ushort Length, byte Unit)
{
    public const int Size = 7;

    /// <summary>Length counts the unit byte and the PDU.</summary>
    public int PduLength => Length - 1;

    public static void Write(Span<byte> destination, ushort transactionId, byte unit, int pduLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(pduLength + 1));
        destination[6] = unit;
    }

    public static MbapHeader Read(ReadOnlySpan<byte> header)
    {
        if (header.Length < Size)
        {
            throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"MBAP header of {header.Length} bytes is truncated"));
        }

        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (protocol != 0)
        {
            throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"MBAP protocol id {protocol}, expected 0"));
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (length < 2 || length > ModbusLimits.MaxPduLength + 1)
        {
            throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"MBAP length {length}, expected 2 to {ModbusLimits.MaxPduLength + 1}"));
        }

        return new MbapHeader(BinaryPrimitives.ReadUInt16BigEndian(header), length, header[6]);
    }
}

/// <summary>RTU frames of Modbus over Serial Line V1.02 §2.5.1: unit, PDU, CRC-16 low byte first.</summary>
public static class RtuFrame
{
    public const int MinimumLength = 4;

    public static int Write(Span<byte> destination, byte unit, ReadOnlySpan<byte> pdu)
    {
        destination[0] = unit;
        pdu.CopyTo(destination[1..]);
        var crc = Crc16.Compute(destination[..(1 + pdu.Length)]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[(1 + pdu.Length)..], crc);
        return pdu.Length + 3;
    }

    /// <summary>
    /// The total length of a response frame from its first three bytes (unit, function, byte count or first
    /// data byte). RTU has no length field, so the function code decides.
    /// </summary>
    public static int ResponseLength(ReadOnlySpan<byte> head)
    {
        if (head.Length < 3)
        {
            throw new ModbusProtocolException("RTU response shorter than 3 bytes");
        }

        var function = head[1];
        return function switch
        {
            >= 0x81 and <= 0x90 => 5,
            1 or 2 or 3 or 4 => 5 + head[2],
            5 or 6 or 15 or 16 => 8,
            _ => throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"RTU response with unknown function 0x{function:X2}")),
        };
    }

    /// <summary>The length of a request frame from its first 7 bytes (function 0F/10 carry a byte count at offset 6).</summary>
    public static int RequestLength(ReadOnlySpan<byte> head)
    {
        if (head.Length < 2)
        {
            throw new ModbusProtocolException("RTU request shorter than 2 bytes");
        }

        return head[1] switch
        {
            1 or 2 or 3 or 4 or 5 or 6 => 8,
            15 or 16 when head.Length >= 7 => 9 + head[6],
            15 or 16 => throw new ModbusProtocolException("RTU request head shorter than 7 bytes"),
            var f => throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"RTU request with unsupported function 0x{f:X2}")),
        };
    }

    /// <summary>Checks the CRC and the unit; returns the PDU.</summary>
    public static ReadOnlySpan<byte> Open(ReadOnlySpan<byte> frame, byte expectedUnit)
    {
        if (frame.Length < MinimumLength)
        {
            throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"RTU frame of {frame.Length} bytes is truncated"));
        }

        var expected = Crc16.Compute(frame[..^2]);
        var actual = BinaryPrimitives.ReadUInt16LittleEndian(frame[^2..]);
        if (expected != actual)
        {
            throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"RTU CRC 0x{actual:X4}, expected 0x{expected:X4}"));
        }

        if (frame[0] != expectedUnit)
        {
            throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"RTU response from unit {frame[0]}, expected {expectedUnit}"));
        }

        return frame[1..^2];
    }

    /// <summary>
    /// The silent interval that separates RTU frames: 3.5 character times (11 bits each) at the line's baud
    /// rate, and a fixed 1.75 ms above 19,200 baud (Modbus over Serial Line §2.5.1.1).
    /// </summary>
    public static TimeSpan InterFrameDelay(int baudRate) =>
        baudRate > 19_200 ? TimeSpan.FromMilliseconds(1.75) : TimeSpan.FromSeconds(3.5 * 11 / baudRate);
}
