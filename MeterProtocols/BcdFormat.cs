namespace EnergyMonitor.MeterProtocols;

/// <summary>
/// A fixed-point BCD field as the standards write it: "XXXXXX.XX" is 4 bytes with 2 decimals; a signed field keeps
/// its sign in the top bit. Decoding is exact (decimal), so a counter of 999999.99 kWh reads as that, not 999999.990001.
/// </summary>
public readonly record struct BcdFormat(int Bytes, int Decimals, bool Signed = false)
{
    public decimal Max => Bcd.MaxMagnitude(Bytes, Signed) / Scale;

    public decimal Min => Signed ? -Max : 0;

    private decimal Scale => Pow10(Decimals);

    public decimal Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Bytes)
        {
            throw MeterFrameException.Of(MeterFrameFault.Length, $"a value of {bytes.Length} bytes, expected {Bytes} ({this})");
        }

        // Built with the picture's scale, so that 266480 in XXXXXX.XX is 2664.80, as the meter's display shows it.
        var raw = Bcd.Decode(bytes, Signed);
        var magnitude = (ulong)Math.Abs(raw);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, raw < 0, (byte)Decimals);
    }

    public void Encode(decimal value, Span<byte> destination)
    {
        var scaled = value * Scale;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"more than {Decimals} decimals");
        }

        Bcd.Encode((long)scaled, destination[..Bytes], Signed);
    }

    /// <summary>The standard's picture of the field, e.g. "XXXXXX.XX" or "±XXX.XXX".</summary>
    public override string ToString()
    {
        var digits = 2 * Bytes;
        var whole = new string('X', digits - Decimals);
        return (Signed ? "±" : "") + (Decimals == 0 ? whole : whole + "." + new string('X', Decimals));
    }

    /// <summary>Parses a picture such as "XXXXXX.XX" (4 bytes, 2 decimals) or "±XXX.XXX"; null when it is not one.</summary>
    public static BcdFormat? Parse(string picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var signed = picture.StartsWith('±') || picture.StartsWith('-');
        var body = signed ? picture[1..] : picture;
        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var digits = body.Replace(".", "", StringComparison.Ordinal);
        if (digits.Length == 0 || digits.Length % 2 != 0 || digits.Any(c => c != 'X') || body.Count(c => c == '.') > 1)
        {
            return null;
        }

        return new BcdFormat(digits.Length / 2, dot < 0 ? 0 : body.Length - dot - 1, signed);
    }

    private static decimal Pow10(int n)
    {
        var p = 1m;
        for (var i = 0; i < n; i++)
        {
            p *= 10;
        }

        return p;
    }
}
