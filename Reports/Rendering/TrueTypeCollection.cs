using System.Buffers.Binary;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// A font collection (.ttc) as a single font: PDFsharp's public resolver takes one font file, and Debian's CJK fonts
/// ship as collections. The first face's table directory is copied with its tables, their offsets rewritten for the
/// new file (the OpenType spec's TTC header and table records; checksums per table are kept as they are).
/// </summary>
public static class TrueTypeCollection
{
    public static byte[] FirstFace(byte[] file)
    {
        if (file.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(file) != 0x74746366) // "ttcf"
        {
            return file; // already a single font
        }

        var face = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(12));
        var tables = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(face + 4));
        var directory = 12 + (16 * tables);
        var records = Enumerable.Range(0, tables).Select(i =>
        {
            var record = face + 12 + (16 * i);
            return (Record: record, Offset: (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(record + 8)), Length: (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(record + 12)));
        }).ToList();
        var size = directory + records.Sum(r => (r.Length + 3) & ~3);
        var result = new byte[size];
        file.AsSpan(face, 12).CopyTo(result);
        var at = directory;
        for (var i = 0; i < records.Count; i++)
        {
            var (record, offset, length) = records[i];
            var target = 12 + (16 * i);
            file.AsSpan(record, 16).CopyTo(result.AsSpan(target));
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(target + 8), (uint)at);
            file.AsSpan(offset, length).CopyTo(result.AsSpan(at));
            at += (length + 3) & ~3;
        }

        return result;
    }
}
