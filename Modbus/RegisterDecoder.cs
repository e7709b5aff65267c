using System.Buffers.Binary;

namespace EnergyMonitor.Modbus;

/// <summary>How a value is laid out in registers.</summary>
public enum RegisterType
{
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,
}

/// <summary>
/// Byte order of a multi-register value, written as the order in which the bytes A (most significant) to D
/// arrive: ABCD big-endian; CDAB word-swapped (common on meters, mbpoll's default for floats); BADC byte-swapped;
/// DCBA little-endian. For 64-bit values the same swaps apply to all four words.
/// </summary>
public enum WordOrder
{
    ABCD,
    CDAB,
    BADC,
    DCBA,
}

/// <summary>Pure conversions between register contents and numbers; no I/O, no allocation.</summary>
public static class RegisterDecoder
{
    public static int RegisterCount(RegisterType type) => type switch
    {
        RegisterType.Int16 or RegisterType.UInt16 => 1,
        RegisterType.Int32 or RegisterType.UInt32 or RegisterType.Float32 => 2,
        _ => 4,
    };

    /// <summary>The raw number the registers hold, before scale and offset.</summary>
    public static double Decode(ReadOnlySpan<ushort> registers, RegisterType type, WordOrder order)
    {
        var count = RegisterCount(type);
        if (registers.Length < count)
        {
            throw new ArgumentException($"{type} needs {count} registers, got {registers.Length}", nameof(registers));
        }

        Span<byte> bytes = stackalloc byte[8];
        ToBigEndian(registers[..count], order, bytes);
        return type switch
        {
            RegisterType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes),
            RegisterType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            RegisterType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes),
            RegisterType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            RegisterType.Int64 => BinaryPrimitives.ReadInt64BigEndian(bytes),
            RegisterType.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(bytes),
            RegisterType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            RegisterType.Float64 => BinaryPrimitives.ReadDoubleBigEndian(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    /// <summary>Engineering value: raw × scale + offset.</summary>
    public static double Decode(ReadOnlySpan<ushort> registers, RegisterType type, WordOrder order, double scale, double offset) =>
        (Decode(registers, type, order) * scale) + offset;

    /// <summary>The registers a device would hold for <paramref name="raw"/>; the inverse of <see cref="Decode(ReadOnlySpan{ushort}, RegisterType, WordOrder)"/>.</summary>
    public static void Encode(double raw, RegisterType type, WordOrder order, Span<ushort> registers)
    {
        Span<byte> bytes = stackalloc byte[8];
        switch (type)
        {
            case RegisterType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(bytes, checked((short)Math.Round(raw)));
                break;
            case RegisterType.UInt16:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, checked((ushort)Math.Round(raw)));
                break;
            case RegisterType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(bytes, checked((int)Math.Round(raw)));
                break;
            case RegisterType.UInt32:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, checked((uint)Math.Round(raw)));
                break;
            case RegisterType.Int64:
                BinaryPrimitives.WriteInt64BigEndian(bytes, checked((long)Math.Round(raw)));
                break;
            case RegisterType.UInt64:
                BinaryPrimitives.WriteUInt64BigEndian(bytes, checked((ulong)Math.Round(raw)));
                break;
            case RegisterType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(bytes, (float)raw);
                break;
            case RegisterType.Float64:
                BinaryPrimitives.WriteDoubleBigEndian(bytes, raw);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }

        FromBigEndian(bytes[..(2 * RegisterCount(type))], order, registers);
    }

    private static void ToBigEndian(ReadOnlySpan<ushort> registers, WordOrder order, Span<byte> bytes)
    {
        var n = registers.Length;
        var reverseWords = order is WordOrder.CDAB or WordOrder.DCBA;
        var swapBytes = order is WordOrder.BADC or WordOrder.DCBA;

        // A single register has no words to reverse; its only freedom is the byte order.
        for (var i = 0; i < n; i++)
        {
            var word = registers[reverseWords && n > 1 ? n - 1 - i : i];
            if (swapBytes)
            {
                word = BinaryPrimitives.ReverseEndianness(word);
            }

            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * i)..], word);
        }
    }

    private static void FromBigEndian(ReadOnlySpan<byte> bytes, WordOrder order, Span<ushort> registers)
    {
        var n = bytes.Length / 2;
        var reverseWords = order is WordOrder.CDAB or WordOrder.DCBA;
        var swapBytes = order is WordOrder.BADC or WordOrder.DCBA;
        for (var i = 0; i < n; i++)
        {
            var word = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
            if (swapBytes)
            {
                word = BinaryPrimitives.ReverseEndianness(word);
            }

            registers[reverseWords && n > 1 ? n - 1 - i : i] = word;
        }
    }
}
