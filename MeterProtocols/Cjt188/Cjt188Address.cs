using System.Diagnostics.CodeAnalysis;

namespace EnergyMonitor.MeterProtocols.Cjt188;

/// <summary>
/// A CJ/T 188 meter address: 14 BCD digits, sent as 7 bytes least significant first, as printed on the
/// meter's nameplate. <c>AAAAAAAAAAAAAA</c> broadcasts; AA pairs at the start are a wildcard (docs/DOMAIN.md).
/// </summary>
public readonly record struct Cjt188Address
{
    public const int Size = 7;

    private readonly ulong _wire;

    private Cjt188Address(ulong wire) => _wire = wire;

    public static Cjt188Address Broadcast { get; } = new(BcdAddress.Broadcast(Size));

    public bool IsBroadcast => _wire == Broadcast._wire;

    public static Cjt188Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"\"{text}\" is not a CJ/T 188 address: 14 decimal digits, AA pairs at the start as a wildcard");

    /// <summary>Reads 14 digits as printed, most significant first; leading AA pairs are a wildcard.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Cjt188Address address)
    {
        var ok = BcdAddress.TryParse(text, Size, out var wire);
        address = new Cjt188Address(wire);
        return ok;
    }

    /// <summary>The address of seven wire bytes; throws when a byte is neither BCD nor the AA wildcard.</summary>
    public static Cjt188Address Read(ReadOnlySpan<byte> wire) => new(BcdAddress.Read(wire, Size));

    public void Write(Span<byte> destination) => BcdAddress.Write(_wire, destination, Size);

    /// <summary>Whether a meter at <paramref name="actual"/> answers a request to this address (wildcard bytes match any).</summary>
    public bool Matches(Cjt188Address actual) => BcdAddress.Matches(_wire, actual._wire, Size);

    public override string ToString() => BcdAddress.Format(_wire, Size);
}
