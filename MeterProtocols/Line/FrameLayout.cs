namespace EnergyMonitor.MeterProtocols.Line;

/// <summary>
/// Where a frame's length byte sits, counted from its start byte 68H: DL/T 645 and CJ/T 188 both frame as
/// <c>68 … L DATA CS 16</c>, so the line can cut a frame out of the byte stream without knowing the protocol.
/// </summary>
public readonly record struct FrameLayout(int LengthOffset, int MaxDataLength)
{
    public const byte Start = 0x68;
    public const byte End = 0x16;
    public const byte Preamble = 0xFE;

    /// <summary>Bytes from the start byte to the end byte for a frame whose length byte is <paramref name="dataLength"/>.</summary>
    public int FrameLength(int dataLength) => LengthOffset + 1 + dataLength + 2;

    public int MaxFrameLength => FrameLength(MaxDataLength);

    /// <summary>
    /// Checks what both protocols check alike: a start byte, a length byte within bounds and bytes enough for it, the
    /// checksum over start byte to DATA, and the end byte. Returns the length byte.
    /// </summary>
    public int Verify(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < LengthOffset + 3)
        {
            throw MeterFrameException.Of(MeterFrameFault.Truncated, $"a frame of {frame.Length} bytes, at least {LengthOffset + 3}");
        }

        if (frame[0] != Start)
        {
            throw MeterFrameException.Of(MeterFrameFault.Noise, $"start byte {frame[0]:X2}, expected 68");
        }

        var length = frame[LengthOffset];
        var total = FrameLength(length);
        if (length > MaxDataLength || frame.Length < total)
        {
            throw MeterFrameException.Of(MeterFrameFault.Truncated, $"L = {length} needs {total} bytes, the frame has {frame.Length}");
        }

        var sum = Checksum.Sum(frame[..(LengthOffset + 1 + length)]);
        if (frame[total - 2] != sum)
        {
            throw MeterFrameException.Of(MeterFrameFault.Checksum, $"checksum {frame[total - 2]:X2}, expected {sum:X2}");
        }

        if (frame[total - 1] != End)
        {
            throw MeterFrameException.Of(MeterFrameFault.Truncated, $"end byte {frame[total - 1]:X2}, expected 16");
        }

        return length;
    }
}
