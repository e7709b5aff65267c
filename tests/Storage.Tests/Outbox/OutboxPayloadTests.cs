using EnergyMonitor.Core.Domain;
using EnergyMonitor.Storage.Outbox;

namespace EnergyMonitor.Storage.Tests.Outbox;

/// <summary>The size the outbox bound counts (docs/CONFIG.md), and the round trip.</summary>
public sealed class OutboxPayloadTests
{
    [Fact]
    public void A_reading_takes_21_bytes_plus_its_meter_id_so_a_14_character_id_takes_35()
    {
        var t0 = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var readings = Enumerable.Range(0, 1000).Select(k => new Reading(new MeterId("adm-main-total"), t0.AddMinutes(15 * k), 1234.5 + k, ReadingQuality.Good)).ToList();

        var payload = OutboxPayload.Encode(readings);
        var decoded = new List<Reading>();
        OutboxPayload.Decode(payload, decoded);

        Assert.Equal(4 + (1000 * 35), payload.Length); // a count, then per reading 1 + 14 + 8 + 8 + 4
        Assert.Equal(readings, decoded);
    }
}
