using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Line;
using static EnergyMonitor.MeterProtocols.Tests.Dlt645ConformanceTests;

namespace EnergyMonitor.MeterProtocols.Tests;

/// <summary>
/// CJ/T 188 frames worked by hand from the layout of docs/DOMAIN.md (checksums computed apart from this code), byte
/// for byte both ways: the standard's text gives no worked frame of its own.
/// </summary>
public sealed class Cjt188ConformanceTests
{
    private static readonly byte[] ReadHeatMeter = Hex("68 20 34 12 90 78 56 34 12 01 03 1F 90 01 26 16");

    // Settlement heat 1234.56 GJ, current heat 1300.25 GJ, power 45.60 kW, flow 3.25 m³/h, 8765.43 m³, supply
    // 55.20 °C, return 43.80 °C, 1234 h, clock 2026-12-02 10:00:00, status 0000.
    private static readonly byte[] HeatReply = Hex(
        "68 20 34 12 90 78 56 34 12 81 2E 1F 90 01 56 34 12 00 11 25 00 13 00 11 60 45 00 00 17 25 03 00 00 35 43 65 87 00 2C 20 55 00 80 43 00 34 12 00 00 00 10 02 12 26 20 00 00 23 16");

    // Cumulative 123.45 m³, settlement day 100.00 m³, clock 2026-12-01 08:15:30, status 0004 (battery low).
    private static readonly byte[] WaterReply = Hex("68 10 34 12 00 00 00 00 00 81 16 1F 90 05 45 23 01 00 2C 00 00 01 00 2C 30 15 08 01 12 26 20 04 00 75 16");

    [Fact]
    public void The_read_of_a_heat_meter_is_encoded_byte_for_byte()
    {
        var frame = new byte[64];
        var length = Cjt188Frame.Write(frame, 0, Cjt188MeterType.Heat, Cjt188Address.Parse("12345678901234"), Cjt188Frame.ReadData, [0x1F, 0x90, 0x01]);
        Assert.Equal(ReadHeatMeter, frame[..length]);
    }

    [Fact]
    public async Task A_heat_meter_reply_decodes_every_field_into_canonical_units()
    {
        var peer = new ScriptedPeer(_ => [0xFE, 0xFE, 0xFE, .. HeatReply]);
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Cjt188Client(line);

        var data = await client.ReadMeteringDataAsync(Cjt188MeterType.Heat, Cjt188Address.Parse("12345678901234"), Cjt188Layout.Heat, TestContext.Current.CancellationToken);

        Assert.Equal([0xFE, 0xFE, 0xFE, 0xFE, .. ReadHeatMeter], peer.Requests.Single());
        Assert.Equal(1234.56m, data[Cjt188Field.SettlementHeat].Canonical);
        Assert.Equal(1300.25m, data[Cjt188Field.CurrentHeat].Canonical);
        Assert.Equal("GJ", data[Cjt188Field.CurrentHeat].CanonicalUnit);
        Assert.Equal(45.60m, data[Cjt188Field.HeatPower].Canonical);
        Assert.Equal("kW", data[Cjt188Field.HeatPower].CanonicalUnit);
        Assert.Equal(3.25m, data[Cjt188Field.FlowRate].Canonical);
        Assert.Equal(8765.43m, data[Cjt188Field.CumulativeFlow].Canonical);
        Assert.Equal(55.20m, data[Cjt188Field.SupplyTemperature].Value);
        Assert.Equal(43.80m, data[Cjt188Field.ReturnTemperature].Value);
        Assert.Equal(1234m, data[Cjt188Field.WorkingHours].Value);
        Assert.Equal(new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Unspecified), data.MeterClock);
    }

    [Fact]
    public void A_heat_meter_reply_is_encoded_byte_for_byte()
    {
        var values = new Dictionary<Cjt188Field, (decimal, byte)>
        {
            [Cjt188Field.SettlementHeat] = (1234.56m, 0x11),
            [Cjt188Field.CurrentHeat] = (1300.25m, 0x11),
            [Cjt188Field.HeatPower] = (45.60m, 0x17),
            [Cjt188Field.FlowRate] = (3.25m, 0x35),
            [Cjt188Field.CumulativeFlow] = (8765.43m, 0x2C),
            [Cjt188Field.SupplyTemperature] = (55.20m, 0),
            [Cjt188Field.ReturnTemperature] = (43.80m, 0),
            [Cjt188Field.WorkingHours] = (1234m, 0),
        };
        var data = new byte[64];
        data[0] = 0x1F;
        data[1] = 0x90;
        data[2] = 0x01;
        var length = 3 + Cjt188MeteringData.Encode(data.AsSpan(3), Cjt188Layout.Heat, f => values[f], new DateTime(2026, 12, 2, 10, 0, 0), 0);
        var frame = new byte[80];
        var total = Cjt188Frame.Write(frame, 0, Cjt188MeterType.Heat, Cjt188Address.Parse("12345678901234"), Cjt188Frame.ReadData | Cjt188Frame.Reply, data.AsSpan(0, length));
        Assert.Equal(HeatReply, frame[..total]);
    }

    [Fact]
    public async Task A_water_meter_reply_decodes_its_flows_and_status()
    {
        var peer = new ScriptedPeer(_ => WaterReply);
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Cjt188Client(line);
        // The reply echoes sequence byte 05: the client's fifth request.
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<MeterFrameException>(async () =>
                await client.ReadMeteringDataAsync(Cjt188MeterType.ColdWater, Cjt188Address.Parse("00000000001234"), Cjt188Layout.Volume, TestContext.Current.CancellationToken));
        }

        var data = await client.ReadMeteringDataAsync(Cjt188MeterType.ColdWater, Cjt188Address.Parse("00000000001234"), Cjt188Layout.Volume, TestContext.Current.CancellationToken);

        Assert.Equal(123.45m, data[Cjt188Field.CurrentFlow].Canonical);
        Assert.Equal("m3", data[Cjt188Field.CurrentFlow].CanonicalUnit);
        Assert.Equal(100.00m, data[Cjt188Field.SettlementFlow].Canonical);
        Assert.Equal((ushort)0x0004, data.Status);
        Assert.Equal(new DateTime(2026, 12, 1, 8, 15, 30), data.MeterClock);
    }

    [Theory]
    [InlineData(0x02, "Wh", 0.0000036)]
    [InlineData(0x05, "kWh", 0.0036)]
    [InlineData(0x08, "MWh", 3.6)]
    [InlineData(0x0A, "MWh×100", 360)]
    [InlineData(0x01, "J", 0.000000001)]
    [InlineData(0x0B, "kJ", 0.000001)]
    [InlineData(0x0E, "MJ", 0.001)]
    [InlineData(0x11, "GJ", 1)]
    [InlineData(0x13, "GJ×100", 100)]
    [InlineData(0x14, "W", 0.001)]
    [InlineData(0x17, "kW", 1)]
    [InlineData(0x1A, "MW", 1000)]
    [InlineData(0x29, "L", 0.001)]
    [InlineData(0x2C, "m³", 1)]
    [InlineData(0x32, "L/h", 0.001)]
    [InlineData(0x35, "m³/h", 1)]
    public void Every_unit_byte_of_the_table_maps_to_the_canonical_unit(byte code, string symbol, double factor)
    {
        var unit = Cjt188Unit.Of(code);
        Assert.Equal(symbol, unit.Symbol);
        Assert.Equal((decimal)factor, unit.ToCanonical);
    }

    [Fact]
    public void A_unit_byte_not_in_the_table_is_refused_with_the_byte_named()
    {
        var reply = (byte[])HeatReply.Clone();
        reply[18] = 0x12;
        reply[^2] = Checksum.Sum(reply.AsSpan(0, reply.Length - 2));
        var e = Assert.Throws<MeterFrameException>(() =>
        {
            var header = Cjt188Frame.Decode(reply, out var data);
            Cjt188MeteringData.Decode(reply.AsSpan(data)[3..], Cjt188Layout.Heat);
        });
        Assert.Equal(MeterFrameFault.UnknownUnit, e.Fault);
        Assert.Contains("12", e.Message, StringComparison.Ordinal);
    }
}
