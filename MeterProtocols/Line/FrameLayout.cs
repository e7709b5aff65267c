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
}
