using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.MeterProtocols.Tests;

/// <summary>The worked frames of docs/DOMAIN.md (DL/T 645-2007), byte for byte, both ways, through the codec and the client.</summary>
public sealed class Dlt645ConformanceTests
{
    private static readonly byte[] ReadForwardEnergy = Hex("68 61 01 00 00 00 00 68 11 04 33 33 34 33 14 16");
    private static readonly byte[] ReplyPointZeroSix = Hex("68 14 01 00 31 82 21 68 91 08 33 33 34 33 39 33 33 33 F1 16");
    private static readonly byte[] ReadAddressBroadcast = Hex("68 AA AA AA AA AA AA 68 13 00 DF 16");
    private static readonly DataIdentifier ForwardActive = DataIdentifier.Parse("00010000");

    internal static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void The_read_request_of_the_worked_example_is_encoded_byte_for_byte()
    {
        var frame = new byte[64];
        var length = Dlt645Frame.WriteRead(frame, 0, Dlt645Address.Parse("000000000161"), ForwardActive);
        Assert.Equal(ReadForwardEnergy, frame[..length]);

        length = Dlt645Frame.WriteRead(frame, 4, Dlt645Address.Parse("000000000161"), ForwardActive);
        Assert.Equal([0xFE, 0xFE, 0xFE, 0xFE, .. ReadForwardEnergy], frame[..length]);
    }

    [Fact]
    public void The_reply_of_the_worked_example_decodes_to_six_hundredths_of_a_kilowatt_hour()
    {
        var data = new byte[Dlt645Frame.MaxDataLength];
        var header = Dlt645Frame.Decode(ReplyPointZeroSix, data);
        Assert.Equal("218231000114", header.Address.ToString());
        Assert.Equal(0x91, header.Control);
        Assert.Equal(8, header.DataLength);
        Assert.Equal(ForwardActive, DataIdentifier.Read(data, Dlt645Version.V2007));
        Assert.Equal(0.06m, new BcdFormat(4, 2).Decode(data.AsSpan(4, 4)));
    }

    [Fact]
    public void The_reply_of_the_worked_example_is_encoded_byte_for_byte()
    {
        var value = new byte[4];
        new BcdFormat(4, 2).Encode(0.06m, value);
        var frame = new byte[64];
        var length = Dlt645Frame.WriteReadReply(frame, 0, Dlt645Address.Parse("218231000114"), ForwardActive, value);
        Assert.Equal(ReplyPointZeroSix, frame[..length]);
    }

    [Fact]
    public void The_broadcast_read_address_is_encoded_byte_for_byte()
    {
        var frame = new byte[32];
        var length = Dlt645Frame.Write(frame, 0, Dlt645Address.Broadcast, Dlt645Control.ReadAddress, []);
        Assert.Equal(ReadAddressBroadcast, frame[..length]);
    }

    [Fact]
    public async Task The_client_sends_the_worked_request_and_reads_the_worked_reply_through_a_preamble()
    {
        // The worked reply is from another meter than the worked request asks; a wildcard asks "whoever is there".
        var peer = new ScriptedPeer(_ => [0xFE, 0xFE, .. ReplyPointZeroSix]);
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Dlt645Client(line);

        var reading = await client.ReadValueAsync(Dlt645Address.Parse("AAAAAAAAAAAA"), ForwardActive, new BcdFormat(4, 2), TestContext.Current.CancellationToken);

        Assert.Equal(0.06m, reading);
        var sent = peer.Requests.Single();
        Assert.Equal([0xFE, 0xFE, 0xFE, 0xFE], sent[..4]);
        Assert.Equal(Hex("68 AA AA AA AA AA AA 68 11 04 33 33 34 33"), sent[4..^2]);
    }

    [Fact]
    public async Task A_reply_from_another_meter_is_refused_not_taken()
    {
        var peer = new ScriptedPeer(_ => ReplyPointZeroSix);
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Dlt645Client(line);

        var e = await Assert.ThrowsAsync<MeterFrameException>(async () =>
            await client.ReadValueAsync(Dlt645Address.Parse("000000000161"), ForwardActive, new BcdFormat(4, 2), TestContext.Current.CancellationToken));
        Assert.Equal(MeterFrameFault.WrongAddress, e.Fault);
        Assert.Equal(Hex("68 61 01 00 00 00 00 68 11 04 33 33 34 33 14 16"), peer.Requests.Single()[4..]);
    }

    [Fact]
    public async Task The_client_reads_the_address_of_the_one_meter_on_the_line()
    {
        var meter = Dlt645Address.Parse("218231000114");
        var peer = new ScriptedPeer(request =>
        {
            Assert.Equal(ReadAddressBroadcast, request[4..]);
            var data = new byte[6];
            meter.Write(data);
            var reply = new byte[40];
            return reply[..Dlt645Frame.Write(reply, 1, meter, 0x93, data)];
        });
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Dlt645Client(line);

        Assert.Equal(meter, await client.ReadAddressAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(0x02, true, "no data requested (unknown identifier)")]
    [InlineData(0x04, false, "unauthorised (password)")]
    [InlineData(0x41, false, "other error, tariffs exceeded")]
    public async Task An_error_reply_is_a_named_refusal(byte error, bool unknownIdentifier, string named)
    {
        var meter = Dlt645Address.Parse("000000000161");
        var peer = new ScriptedPeer(_ =>
        {
            var reply = new byte[40];
            return reply[..Dlt645Frame.WriteErrorReply(reply, 0, meter, Dlt645Control.Read2007, error)];
        });
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Dlt645Client(line);

        var e = await Assert.ThrowsAsync<Dlt645DeviceException>(async () =>
            await client.ReadValueAsync(meter, ForwardActive, new BcdFormat(4, 2), TestContext.Current.CancellationToken));
        Assert.Equal(unknownIdentifier, e.IsUnknownIdentifier);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Equal(0xD1, Dlt645Control.Reply | Dlt645Control.Error | Dlt645Control.Read2007);
    }

    [Fact]
    public async Task A_value_continued_in_follow_up_frames_is_asked_for_and_assembled()
    {
        var meter = Dlt645Address.Parse("000000000161");
        var di = DataIdentifier.Parse("04000401");
        var peer = new ScriptedPeer(request =>
        {
            var reply = new byte[64];
            var data = new byte[Dlt645Frame.MaxDataLength];
            var header = Dlt645Frame.Decode(request.AsSpan(4), data);
            if (header.Control == Dlt645Control.Read2007)
            {
                // B1H: the first three bytes, more to follow.
                return reply[..Dlt645Frame.WriteReadReply(reply, 0, meter, di, [0x61, 0x01, 0x00], moreFollows: true)];
            }

            Assert.Equal(Dlt645Control.ReadFollowUp2007, header.Control);
            Assert.Equal(5, header.DataLength);
            Assert.Equal(1, data[4]);
            // 92H: the last three bytes, then the sequence number asked for.
            byte[] follow = [0x01, 0x04, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01];
            return reply[..Dlt645Frame.Write(reply, 0, meter, 0x92, follow)];
        });
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Dlt645Client(line);

        var value = await client.ReadValueAsync(meter, di, new BcdFormat(6, 0), TestContext.Current.CancellationToken);

        Assert.Equal(161m, value);
        Assert.Equal(2, peer.Requests.Count);
    }

    [Fact]
    public void A_1997_read_has_a_two_byte_identifier_and_function_01()
    {
        var frame = new byte[32];
        var length = Dlt645Frame.WriteRead(frame, 0, Dlt645Address.Parse("000000000161"), DataIdentifier.Parse("9010"));
        // DI 9010 goes 10 90, each +33H: 43 C3. CS = 68+61+01+68+01+02+43+C3 mod 256.
        Assert.Equal(Hex("68 61 01 00 00 00 00 68 01 02 43 C3 3B 16"), frame[..length]);
    }

    [Theory]
    [InlineData("00000000", 4, 2, false)]
    [InlineData("02010100", 2, 1, false)]
    [InlineData("02020100", 3, 3, true)]
    [InlineData("02030000", 3, 4, true)]
    [InlineData("02060000", 2, 3, true)]
    public void The_identifiers_of_the_table_have_the_pictures_of_the_standard(string di, int bytes, int decimals, bool signed)
    {
        var item = Dlt645Catalogue.Find(DataIdentifier.Parse(di));
        Assert.NotNull(item);
        Assert.Equal(new BcdFormat(bytes, decimals, signed), item.Format);
    }

    [Fact]
    public void A_negative_power_carries_its_sign_in_the_top_bit()
    {
        var bytes = new byte[3];
        var power = new BcdFormat(3, 4, Signed: true);
        power.Encode(-12.3456m, bytes);
        Assert.Equal(Hex("56 34 92"), bytes);
        Assert.Equal(-12.3456m, power.Decode(bytes));
    }

    [Fact]
    public void An_illegal_digit_is_refused()
    {
        var e = Assert.Throws<MeterFrameException>(() => new BcdFormat(4, 2).Decode(Hex("06 0A 00 00")));
        Assert.Equal(MeterFrameFault.IllegalDigit, e.Fault);
    }

    [Fact]
    public void Addresses_read_as_printed_with_a_wildcard_only_at_the_start()
    {
        Assert.True(Dlt645Address.TryParse("AAAA00000161", out var wild));
        Assert.True(wild.Matches(Dlt645Address.Parse("123400000161")));
        Assert.False(wild.Matches(Dlt645Address.Parse("123400000162")));
        Assert.False(Dlt645Address.TryParse("0000AA000161", out _));
        Assert.False(Dlt645Address.TryParse("00000000016", out _));
        Assert.False(Dlt645Address.TryParse("00000000016X", out _));
        Assert.Equal("AAAAAAAAAAAA", Dlt645Address.Broadcast.ToString());
    }

    [Fact]
    public async Task Noise_before_the_preamble_is_a_fault_not_a_reading()
    {
        var peer = new ScriptedPeer(_ => [0x00, 0xFE, .. ReplyPointZeroSix]);
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Dlt645Client(line);

        var e = await Assert.ThrowsAsync<MeterFrameException>(async () =>
            await client.ReadValueAsync(Dlt645Address.Parse("AAAAAAAAAAAA"), ForwardActive, new BcdFormat(4, 2), TestContext.Current.CancellationToken));
        Assert.Equal(MeterFrameFault.Noise, e.Fault);
        Assert.False(line.IsConnected);
    }

    /// <summary>
    /// Frames of other implementations, published as message logs: a -2007 voltage read and a -1997 voltage read
    /// (docs/DOMAIN.md names the sources). Our codec meets them byte for byte.
    /// </summary>
    [Theory]
    [InlineData("FE FE FE FE 68 61 01 00 00 00 00 68 11 04 33 34 34 35 17 16", "68 61 01 00 00 00 00 68 91 06 33 34 34 35 34 43 10 16", "02010100", "000000000161", "100.1")]
    [InlineData("FE FE FE FE 68 61 01 00 00 00 00 68 11 04 33 33 34 33 14 16", "68 61 01 00 00 00 00 68 91 08 33 33 34 33 59 33 33 33 8A 16", "00010000", "000000000161", "0.26")]
    [InlineData("FE FE FE FE 68 03 00 00 00 00 00 68 01 02 44 E9 03 16", "68 03 00 00 00 00 00 68 81 04 44 E9 33 34 EC 16", "B611", "000000000003", "100")]
    public async Task Published_message_logs_of_other_implementations_read_the_same(string request, string reply, string di, string address, string value)
    {
        var identifier = DataIdentifier.Parse(di);
        var format = Dlt645Catalogue.Find(identifier)!.Format;
        var peer = new ScriptedPeer(_ => Hex(reply));
        await using var line = new MeterLine("peer", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero });
        using var client = new Dlt645Client(line);

        var read = await client.ReadValueAsync(Dlt645Address.Parse(address), identifier, format, TestContext.Current.CancellationToken);

        Assert.Equal(Hex(request), peer.Requests.Single());
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), read);
    }
}
