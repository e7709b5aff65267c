using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.MeterProtocols.Cjt188;

/// <summary>The meter type byte T (CJ/T 188-2004 §6.2.2), which also chooses the layout of the metering data.</summary>
public enum Cjt188MeterType : byte
{
    ColdWater = 0x10,
    HotWater = 0x11,
    DrinkingWater = 0x12,
    ReclaimedWater = 0x13,
    Heat = 0x20,
    Cooling = 0x21,
    Gas = 0x30,
    Custom = 0x40,
}

/// <summary>The fields of a frame's head.</summary>
public readonly record struct Cjt188Header(Cjt188MeterType Type, Cjt188Address Address, byte Control, int DataLength);

/// <summary>
/// The CJ/T 188 frame: <c>[FE…] 68 T A0…A6 C L DATA CS 16</c>. Unlike DL/T 645, DATA is sent as it is. Control:
/// 01H read data (reply 81H), 03H read address (reply 83H); an error reply also sets bit 6 (docs/DOMAIN.md).
/// </summary>
public static class Cjt188Frame
{
    public const int LengthOffset = 10;
    public const int MaxDataLength = 100;
    public const byte ReadData = 0x01;
    public const byte ReadAddress = 0x03;
    public const byte Reply = 0x80;
    public const byte Error = 0x40;

    public static FrameLayout Layout { get; } = new(LengthOffset, MaxDataLength);

    public static int MaxFrameLength(int preamble) => preamble + Layout.MaxFrameLength;

    public static int Write(Span<byte> destination, int preamble, Cjt188MeterType type, Cjt188Address address, byte control, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxDataLength)
        {
            throw new ArgumentException($"DATA of {data.Length} bytes, at most {MaxDataLength}", nameof(data));
        }

        destination[..preamble].Fill(FrameLayout.Preamble);
        var frame = destination[preamble..];
        frame[0] = FrameLayout.Start;
        frame[1] = (byte)type;
        address.Write(frame[2..]);
        frame[9] = control;
        frame[10] = (byte)data.Length;
        data.CopyTo(frame[11..]);
        var end = 11 + data.Length;
        frame[end] = Checksum.Sum(frame[..end]);
        frame[end + 1] = FrameLayout.End;
        return preamble + end + 2;
    }

    /// <summary>Opens a frame that starts at its 68H; returns its head and the DATA's place in <paramref name="frame"/>.</summary>
    public static Cjt188Header Decode(ReadOnlySpan<byte> frame, out Range data)
    {
        var length = Layout.Verify(frame);
        data = new Range(LengthOffset + 1, LengthOffset + 1 + length);
        return new Cjt188Header((Cjt188MeterType)frame[1], Cjt188Address.Read(frame[2..9]), frame[9], length);
    }
}
