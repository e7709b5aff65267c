using CsCheck;
using EnergyMonitor.MeterProtocols.Cjt188;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.MeterProtocols.Tests;

/// <summary>
/// Generated cases: every value of every picture survives encoding and decoding, sign included; every frame survives
/// writing and opening; and no frame, however mangled, gets anything but the one protocol exception out of a client.
/// </summary>
public sealed class PropertyTests
{
    private const int FuzzCases = 100_000;

    private static readonly BcdFormat[] TableFormats = Dlt645Catalogue.Items.Select(i => i.Format).Distinct().ToArray();

    private static readonly Gen<BcdFormat> Formats = Gen.OneOf(
        Gen.Int[0, TableFormats.Length - 1].Select(i => TableFormats[i]),
        Gen.Select(Gen.Int[1, 8], Gen.Int[0, 6], Gen.Bool).Select((bytes, decimals, signed) => new BcdFormat(bytes, Math.Min(decimals, 2 * bytes), signed)));

    private static readonly Gen<(BcdFormat Format, decimal Value)> Values =
        Formats.SelectMany(f => Gen.Long[-Bcd.MaxMagnitude(f.Bytes, f.Signed), Bcd.MaxMagnitude(f.Bytes, f.Signed)]
            .Select(n => (f, (f.Signed ? n : Math.Abs(n)) / Pow10(f.Decimals))));

    private static readonly Gen<Dlt645Address> Addresses = Gen.Long[0, 999_999_999_999].Select(n => Dlt645Address.Parse(n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Every_value_of_every_picture_decodes_to_itself()
    {
        Values.Sample(c =>
        {
            var bytes = new byte[c.Format.Bytes];
            c.Format.Encode(c.Value, bytes);
            Assert.True(Bcd.IsValid(c.Format.Signed ? [.. bytes[..^1], (byte)(bytes[^1] & 0x7F)] : bytes));
            Assert.Equal(c.Value, c.Format.Decode(bytes));
        }, iter: 20_000);
    }

    [Fact]
    public void The_extremes_of_a_signed_picture_keep_their_sign()
    {
        foreach (var format in Dlt645Catalogue.Items.Select(i => i.Format).Where(f => f.Signed).Distinct())
        {
            var bytes = new byte[format.Bytes];
            foreach (var value in new[] { format.Min, format.Max, -1 / Pow10(format.Decimals), 0m })
            {
                format.Encode(value, bytes);
                Assert.Equal(value, format.Decode(bytes));
            }
        }
    }

    [Fact]
    public void Every_frame_opens_to_what_was_written()
    {
        Gen.Select(Addresses, Gen.Byte, Gen.Byte.Array[0, Dlt645Frame.MaxDataLength], Gen.Int[0, 4]).Sample((address, control, data, preamble) =>
        {
            var frame = new byte[Dlt645Frame.MaxFrameLength(4)];
            var length = Dlt645Frame.Write(frame, preamble, address, control, data);
            var opened = new byte[Dlt645Frame.MaxDataLength];
            var header = Dlt645Frame.Decode(frame.AsSpan(preamble, length - preamble), opened);
            Assert.Equal(address, header.Address);
            Assert.Equal(control, header.Control);
            Assert.Equal(data, opened[..header.DataLength]);
        }, iter: 10_000);
    }

    [Fact]
    public void No_dlt645_answer_gets_anything_but_the_protocol_exceptions_out_of_the_client()
    {
        var meter = Dlt645Address.Parse("000000000161");
        var di = DataIdentifier.Parse("00010000");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        Mutated(() =>
        {
            var value = new byte[4];
            new BcdFormat(4, 2).Encode(1234.56m, value);
            var reply = new byte[64];
            return reply[..Dlt645Frame.WriteReadReply(reply, 2, meter, di, value)];
        }).Sample(bytes =>
        {
            var outcome = Run(bytes, async (line, ct) =>
            {
                using var client = new Dlt645Client(line);
                var v = await client.ReadValueAsync(meter, di, new BcdFormat(4, 2), ct);
                // A frame that passes every check is the value that was sent, never another number.
                Assert.Equal(1234.56m, v);
            });
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }, iter: FuzzCases, threads: 1);

        Assert.True(outcomes.GetValueOrDefault("ok") > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.Count > 3, string.Join(", ", outcomes));
    }

    [Fact]
    public void No_cjt188_answer_gets_anything_but_the_protocol_exceptions_out_of_the_client()
    {
        var meter = Cjt188Address.Parse("12345678901234");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        Mutated(() =>
        {
            var data = new byte[64];
            data[0] = 0x1F;
            data[1] = 0x90;
            data[2] = 1;
            var length = 3 + Cjt188MeteringData.Encode(data.AsSpan(3), Cjt188Layout.Heat, _ => (12m, 0x11), new DateTime(2026, 12, 2), 0);
            var frame = new byte[80];
            return frame[..Cjt188Frame.Write(frame, 2, Cjt188MeterType.Heat, meter, 0x81, data.AsSpan(0, length))];
        }).Sample(bytes =>
        {
            var outcome = Run(bytes, async (line, ct) =>
            {
                using var client = new Cjt188Client(line);
                var data = await client.ReadMeteringDataAsync(Cjt188MeterType.Heat, meter, Cjt188Layout.Heat, ct);
                Assert.All(data.Quantities.Where(q => q.Unit != "°C" && q.Unit != "h"), q => Assert.Equal(12m, q.Canonical));
            });
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }, iter: FuzzCases, threads: 1);

        Assert.True(outcomes.GetValueOrDefault("ok") > 0, string.Join(", ", outcomes));
    }

    /// <summary>Valid frames with flipped bits, cut short, extended with noise, noise in front, or noise alone.</summary>
    private static Gen<byte[]> Mutated(Func<byte[]> valid) =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 10_000], Gen.Byte.Array[0, 60], Gen.Byte).Select((mutation, where, noise, b) =>
        {
            var frame = valid();
            switch (mutation)
            {
                case 0:
                    return frame;
                case 1:
                    frame[where % frame.Length] ^= (byte)(1 << (where % 8));
                    return frame;
                case 2:
                    return frame[..(where % frame.Length)];
                case 3:
                    frame[where % frame.Length] = b;
                    return frame;
                case 4:
                    return [.. noise, .. frame];
                default:
                    return noise;
            }
        });

    private static string Run(byte[] answer, Func<MeterLine, CancellationToken, Task> read)
    {
        var peer = new ScriptedPeer(_ => answer);
        var line = new MeterLine("fuzz", ScriptedPeer.Connect(peer), new MeterLineOptions { PauseBetweenRequests = TimeSpan.Zero, ResponseTimeout = TimeSpan.FromSeconds(5) });
        try
        {
            read(line, CancellationToken.None).GetAwaiter().GetResult();
            return "ok";
        }
        catch (MeterFrameException e)
        {
            return e.Fault.ToString();
        }
        catch (Dlt645DeviceException)
        {
            return "refused";
        }
        catch (Cjt188DeviceException)
        {
            return "refused";
        }
        finally
        {
            line.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static decimal Pow10(int n) => n == 0 ? 1 : 10 * Pow10(n - 1);
}
