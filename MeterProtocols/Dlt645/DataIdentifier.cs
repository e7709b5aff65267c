using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EnergyMonitor.MeterProtocols.Dlt645;

/// <summary>
/// A data identifier as the standard prints it, most significant byte first: <c>00010000</c> (-2007, 4 bytes DI3…DI0)
/// or <c>9010</c> (-1997, 2 bytes). On the wire it goes least significant byte first, before the +33H offset.
/// </summary>
public readonly record struct DataIdentifier(uint Value, Dlt645Version Version)
{
    public int Size => Version == Dlt645Version.V2007 ? 4 : 2;

    public static DataIdentifier Parse(string text) =>
        TryParse(text, out var di) ? di : throw new FormatException($"\"{text}\" is not a data identifier: 8 hex digits (DL/T 645-2007) or 4 (-1997)");

    /// <summary>8 hex digits for -2007, 4 for -1997; spaces between the bytes are allowed ("00 01 00 00").</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DataIdentifier di)
    {
        di = default;
        var compact = text?.Replace(" ", "", StringComparison.Ordinal);
        if (compact is not { Length: 8 or 4 } || !uint.TryParse(compact, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        di = new DataIdentifier(value, compact.Length == 8 ? Dlt645Version.V2007 : Dlt645Version.V1997);
        return true;
    }

    /// <summary>Writes the identifier's bytes, least significant first, without the offset.</summary>
    public void Write(Span<byte> destination)
    {
        if (Size == 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, Value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)Value);
        }
    }

    public static DataIdentifier Read(ReadOnlySpan<byte> bytes, Dlt645Version version) =>
        version == Dlt645Version.V2007
            ? new DataIdentifier(BinaryPrimitives.ReadUInt32LittleEndian(bytes), version)
            : new DataIdentifier(BinaryPrimitives.ReadUInt16LittleEndian(bytes), version);

    public override string ToString() => Size == 4
        ? Value.ToString("X8", CultureInfo.InvariantCulture)
        : Value.ToString("X4", CultureInfo.InvariantCulture);
}
