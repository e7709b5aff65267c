using System.Text;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Storage.Outbox;

/// <summary>A batch of readings as one outbox row: count, then per reading meter id (UTF-8), ms timestamp, value, quality.</summary>
public static class OutboxPayload
{
    public static byte[] Encode(IReadOnlyCollection<Reading> readings)
    {
        using var stream = new MemoryStream(16 + (readings.Count * 40));
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(readings.Count);
            foreach (var reading in readings)
            {
                writer.Write(reading.Meter.Value);
                writer.Write(reading.Timestamp.ToUnixTimeMilliseconds());
                writer.Write(reading.Value);
                writer.Write((int)reading.Quality);
            }
        }

        return stream.ToArray();
    }

    public static void Decode(byte[] payload, List<Reading> into)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var meter = reader.ReadString();
            var ms = reader.ReadInt64();
            var value = reader.ReadDouble();
            var quality = (ReadingQuality)reader.ReadInt32();
            into.Add(new Reading(new MeterId(meter), DateTimeOffset.FromUnixTimeMilliseconds(ms), value, quality));
        }
    }
}
