namespace EnergyMonitor.MeterProtocols;

/// <summary>
/// Packed BCD as both protocols send it: two digits a byte, the least significant byte first. Where a value can be
/// negative, the top bit of the most significant byte is its sign (DL/T 645-2007 appendix A; docs/DOMAIN.md).
/// </summary>
public static class Bcd
{
    /// <summary>The largest whole number <paramref name="bytes"/> bytes hold, one bit fewer when signed.</summary>
    public static long MaxMagnitude(int bytes, bool signed)
    {
        long max = 1;
        for (var i = 0; i < (2 * bytes) - (signed ? 1 : 0); i++)
        {
            max *= 10;
        }

        // A signed value's top digit has three bits left: 0–7.
        return signed ? (max * 8) - 1 : max - 1;
    }

    /// <summary>The number the digits spell, least significant byte first. Throws for a digit above 9.</summary>
    public static long Decode(ReadOnlySpan<byte> bytes, bool signed)
    {
        long value = 0;
        var negative = false;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            var b = bytes[i];
            if (signed && i == bytes.Length - 1)
            {
                negative = (b & 0x80) != 0;
                b &= 0x7F;
            }

            var high = b >> 4;
            var low = b & 0x0F;
            if (high > 9 || low > 9)
            {
                throw MeterFrameException.Of(MeterFrameFault.IllegalDigit, $"illegal BCD byte {bytes[i]:X2} at offset {i}");
            }

            value = (value * 100) + (high * 10) + low;
        }

        return negative ? -value : value;
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/>, least significant byte first.</summary>
    public static void Encode(long value, Span<byte> destination, bool signed)
    {
        var negative = value < 0;
        if (negative && !signed)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a negative value needs a signed format");
        }

        var magnitude = Math.Abs(value);
        if (magnitude > MaxMagnitude(destination.Length, signed))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"more digits than {destination.Length} bytes hold");
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var pair = (int)(magnitude % 100);
            magnitude /= 100;
            destination[i] = (byte)(((pair / 10) << 4) | (pair % 10));
        }

        if (negative)
        {
            destination[^1] |= 0x80;
        }
    }

    /// <summary>Whether every nibble is a decimal digit.</summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if ((b >> 4) > 9 || (b & 0x0F) > 9)
            {
                return false;
            }
        }

        return true;
    }
}
