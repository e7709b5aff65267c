using System.Diagnostics.CodeAnalysis;

namespace EnergyMonitor.MeterProtocols.Dlt645;

/// <summary>
/// A DL/T 645 communication address: 12 BCD digits, sent as 6 bytes least significant first, as printed on the
/// meter's nameplate. <c>AAAAAAAAAAAA</c> broadcasts; AA pairs at the start are a wildcard (docs/DOMAIN.md).
/// </summary>
public readonly record struct Dlt645Address
{
    public const int Size = 6;

    private readonly ulong _wire;

    private Dlt645Address(ulong wire) => _wire = wire;

    public static Dlt645Address Broadcast { get; } = new(BcdAddress.Broadcast(Size));

    public bool IsBroadcast => _wire == Broadcast._wire;

    public static Dlt645Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"\"{text}\" is not a DL/T 645 address: 12 decimal digits, AA pairs at the start as a wildcard");

    /// <summary>Reads 12 digits as printed, most significant first; leading AA pairs are a wildcard.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Dlt645Address address)
    {
        var ok = BcdAddress.TryParse(text, Size, out var wire);
        address = new Dlt645Address(wire);
        return ok;
    }

    /// <summary>The address of six wire bytes; throws when a byte is neither BCD nor the AA wildcard.</summary>
    public static Dlt645Address Read(ReadOnlySpan<byte> wire) => new(BcdAddress.Read(wire, Size));

    public void Write(Span<byte> destination) => BcdAddress.Write(_wire, destination, Size);

    /// <summary>Whether a meter at <paramref name="actual"/> answers a request to this address (wildcard bytes match any).</summary>
    public bool Matches(Dlt645Address actual) => BcdAddress.Matches(_wire, actual._wire, Size);

    public override string ToString() => BcdAddress.Format(_wire, Size);
}
