namespace EnergyMonitor.MeterProtocols;

/// <summary>
/// The addresses both protocols use: BCD digits as printed on the nameplate, sent least significant byte first; an
/// AAH byte is a wildcard, allowed only as a run at the high end (all of it is the broadcast address). Held as the
/// wire bytes in a <see cref="ulong"/>, the first wire byte lowest, so that an address costs no allocation.
/// </summary>
internal static class BcdAddress
{
    public const byte Wild = 0xAA;

    public static bool TryParse(ReadOnlySpan<char> text, int size, out ulong wire)
    {
        wire = 0;
        if (text.Length != 2 * size)
        {
            return false;
        }

        var wildcardEnded = false;
        for (var i = 0; i < size; i++)
        {
            // Pair i from the left is wire byte size-1-i.
            var pair = text.Slice(2 * i, 2);
            byte b;
            if (pair is "AA" or "aa")
            {
                if (wildcardEnded)
                {
                    return false;
                }

                b = Wild;
            }
            else if (char.IsAsciiDigit(pair[0]) && char.IsAsciiDigit(pair[1]))
            {
                wildcardEnded = true;
                b = (byte)(((pair[0] - '0') << 4) | (pair[1] - '0'));
            }
            else
            {
                return false;
            }

            wire |= (ulong)b << (8 * (size - 1 - i));
        }

        return true;
    }

    public static ulong Read(ReadOnlySpan<byte> bytes, int size)
    {
        ulong wire = 0;
        for (var i = 0; i < size; i++)
        {
            var b = bytes[i];
            if (b != Wild && ((b >> 4) > 9 || (b & 0x0F) > 9))
            {
                throw MeterFrameException.Of(MeterFrameFault.IllegalDigit, $"address byte {b:X2} is neither BCD nor AA");
            }

            wire |= (ulong)b << (8 * i);
        }

        return wire;
    }

    public static void Write(ulong wire, Span<byte> destination, int size)
    {
        for (var i = 0; i < size; i++)
        {
            destination[i] = Byte(wire, i);
        }
    }

    public static bool Matches(ulong asked, ulong actual, int size)
    {
        for (var i = 0; i < size; i++)
        {
            if (Byte(asked, i) != Wild && Byte(asked, i) != Byte(actual, i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every wire byte AAH: 0x0101…01 (size bytes) times AAH. Addresses are 6 or 7 bytes.</summary>
    public static ulong Broadcast(int size) => ((1UL << (8 * size)) - 1) / 0xFF * Wild;

    public static byte Byte(ulong wire, int i) => (byte)(wire >> (8 * i));

    public static string Format(ulong wire, int size) => string.Create(2 * size, (wire, size), static (chars, state) =>
    {
        var (wire, size) = state;
        for (var i = 0; i < size; i++)
        {
            var b = Byte(wire, size - 1 - i);
            chars[2 * i] = b == Wild ? 'A' : (char)('0' + (b >> 4));
            chars[(2 * i) + 1] = b == Wild ? 'A' : (char)('0' + (b & 0x0F));
        }
    });
}
