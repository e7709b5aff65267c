using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.MeterProtocols.Dlt645;

/// <summary>The fields of a frame's head: who sent it, what it is, how much DATA it carries.</summary>
public readonly record struct Dlt645Header(Dlt645Address Address, byte Control, int DataLength);

/// <summary>
/// The DL/T 645 frame (-2007 §7.1; -1997 the same): <c>[FE…] 68 A0…A5 68 C L DATA CS 16</c>. Every DATA byte goes
/// on the wire +33H; CS is the sum mod 256 from the first 68H to the end of DATA. Pure and allocation-free: the
/// caller owns every buffer.
/// </summary>
public static class Dlt645Frame
{
    /// <summary>The start byte, address, second start byte and control before L.</summary>
    public const int LengthOffset = 9;

    /// <summary>-2007 §7.1.3: L is at most 200 in a read; 255 is what the byte holds, and a longer claim is refused.</summary>
    public const int MaxDataLength = 200;

    public const byte Offset = 0x33;

    public static FrameLayout Layout { get; } = new(LengthOffset, MaxDataLength);

    public static int MaxFrameLength(int preamble) => preamble + Layout.MaxFrameLength;

    /// <summary>Writes a whole frame, preamble included; returns its length.</summary>
    public static int Write(Span<byte> destination, int preamble, Dlt645Address address, byte control, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxDataLength)
        {
            throw new ArgumentException($"DATA of {data.Length} bytes, at most {MaxDataLength}", nameof(data));
        }

        destination[..preamble].Fill(FrameLayout.Preamble);
        var frame = destination[preamble..];
        frame[0] = FrameLayout.Start;
        address.Write(frame[1..]);
        frame[7] = FrameLayout.Start;
        frame[8] = control;
        frame[9] = (byte)data.Length;
        for (var i = 0; i < data.Length; i++)
        {
            frame[10 + i] = (byte)(data[i] + Offset);
        }

        var end = 10 + data.Length;
        frame[end] = Checksum.Sum(frame[..end]);
        frame[end + 1] = FrameLayout.End;
        return preamble + end + 2;
    }

    /// <summary>
    /// Opens a frame that starts at its first 68H (the preamble already skipped) and copies its DATA, −33H, into
    /// <paramref name="data"/>. Throws <see cref="MeterFrameException"/> for anything that is not a whole, sound frame.
    /// </summary>
    public static Dlt645Header Decode(ReadOnlySpan<byte> frame, Span<byte> data)
    {
        var length = Layout.Verify(frame);
        if (frame[7] != FrameLayout.Start)
        {
            throw MeterFrameException.Of(MeterFrameFault.Noise, $"second start byte {frame[7]:X2}, expected 68");
        }

        var address = Dlt645Address.Read(frame[1..7]);
        var raw = frame.Slice(LengthOffset + 1, length);
        for (var i = 0; i < length; i++)
        {
            data[i] = (byte)(raw[i] - Offset);
        }

        return new Dlt645Header(address, frame[8], length);
    }

    /// <summary>A read request: the identifier, least significant byte first.</summary>
    public static int WriteRead(Span<byte> destination, int preamble, Dlt645Address address, DataIdentifier di)
    {
        Span<byte> data = stackalloc byte[4];
        di.Write(data);
        return Write(destination, preamble, address, Dlt645Control.Read(di.Version), data[..di.Size]);
    }

    /// <summary>A read reply: the identifier, then the value's bytes.</summary>
    public static int WriteReadReply(Span<byte> destination, int preamble, Dlt645Address address, DataIdentifier di, ReadOnlySpan<byte> value, bool moreFollows = false)
    {
        Span<byte> data = stackalloc byte[MaxDataLength];
        di.Write(data);
        value.CopyTo(data[di.Size..]);
        var control = (byte)(Dlt645Control.Read(di.Version) | Dlt645Control.Reply | (moreFollows ? Dlt645Control.MoreFollows : 0));
        return Write(destination, preamble, address, control, data[..(di.Size + value.Length)]);
    }

    /// <summary>An error reply: D1H (-2007) or C1H (-1997) with one error byte.</summary>
    public static int WriteErrorReply(Span<byte> destination, int preamble, Dlt645Address address, byte function, byte error) =>
        Write(destination, preamble, address, (byte)(function | Dlt645Control.Reply | Dlt645Control.Error), [error]);
}
