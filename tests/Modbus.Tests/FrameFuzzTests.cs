using CsCheck;

namespace EnergyMonitor.Modbus.Tests;

/// <summary>
/// Random and mutated response frames through the production transport and client: the only exceptions
/// allowed out are the protocol exception (malformed) and the device exception (a well-formed exception response).
/// </summary>
public sealed class FrameFuzzTests
{
    private const int Iterations = 50_000;

    private static byte[] ValidTcpResponse(byte unit, ushort count)
    {
        var pdu = new byte[2 + (2 * count)];
        pdu[0] = 3;
        pdu[1] = (byte)(2 * count);
        var frame = new byte[MbapHeader.Size + pdu.Length];
        MbapHeader.Write(frame, 1, unit, pdu.Length);
        pdu.CopyTo(frame, MbapHeader.Size);
        return frame;
    }

    private static byte[] ValidRtuResponse(byte unit, ushort count)
    {
        var pdu = new byte[2 + (2 * count)];
        pdu[0] = 3;
        pdu[1] = (byte)(2 * count);
        var frame = new byte[pdu.Length + 3];
        RtuFrame.Write(frame, unit, pdu);
        return frame;
    }

    /// <summary>Valid frames with flipped bits, cut short, extended, or replaced by noise.</summary>
    private static Gen<byte[]> Frames(Func<byte, ushort, byte[]> valid) =>
        Gen.Select(Gen.Byte[1, 3], Gen.UShort[1, 10], Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Byte.Array[0, 40]).Select((unit, count, mutation, where, noise) =>
        {
            var frame = valid(unit, count);
            switch (mutation)
            {
                case 0:
                    frame[where % frame.Length] ^= (byte)(1 << (where % 8));
                    return frame;
                case 1:
                    return frame[..(where % frame.Length)];
                case 2:
                    return [.. frame, .. noise];
                default:
                    return noise;
            }
        });

    [Theory]
    [InlineData(ModbusFraming.Tcp)]
    [InlineData(ModbusFraming.Rtu)]
    public void Only_modbus_exceptions_escape_the_client_for_any_response(ModbusFraming framing)
    {
        var outcomes = new Dictionary<string, int>();
        Frames(framing == ModbusFraming.Tcp ? ValidTcpResponse : ValidRtuResponse).Sample(bytes =>
        {
            var transport = new ModbusTransport("fuzz", framing, _ => ValueTask.FromResult<Stream>(new CannedStream(bytes)),
                new ModbusTransportOptions { InterFrameDelay = TimeSpan.Zero, ResponseTimeout = TimeSpan.FromSeconds(5) });
            var client = new ModbusClient(transport);
            var registers = new ushort[1 + (bytes.Length % 10)];
            string outcome;
            try
            {
                client.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                outcome = "ok";
            }
            catch (ModbusProtocolException)
            {
                outcome = "protocol";
            }
            catch (ModbusDeviceException)
            {
                outcome = "device";
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }, iter: Iterations, threads: 1);

        Assert.True(outcomes.GetValueOrDefault("protocol") > Iterations / 2, string.Join(", ", outcomes));
    }

    [Fact]
    public void The_server_side_answers_any_request_pdu_without_throwing()
    {
        var bank = new ModbusDataBank();
        var response = new byte[ModbusLimits.MaxPduLength];
        Gen.Byte.Array[0, 260].Sample(request =>
        {
            var length = ModbusRequestHandler.Handle(request, response, bank);

            Assert.InRange(length, 2, ModbusLimits.MaxPduLength);
        }, iter: Iterations);
    }
}
