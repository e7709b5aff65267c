using System.Buffers.Binary;
using System.Globalization;
using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.MeterProtocols.Cjt188;

/// <summary>The meter refused a request: an error reply (control with bit 6 set) and the status it gave.</summary>
public sealed class Cjt188DeviceException(Cjt188Address address, byte control, ushort status, string endpoint)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"meter {address} at {endpoint} refused the request (control {control:X2}, status {status:X4})"))
{
    public Cjt188Address Address { get; } = address;

    public ushort Status { get; } = status;
}

/// <summary>
/// The CJ/T 188 master: read metering data (901FH) and read address, over a <see cref="MeterLine"/> it may share
/// with other protocols' clients. Answers are checked for type, address, control, identifier and sequence byte.
/// </summary>
public sealed class Cjt188Client(MeterLine line) : IDisposable
{
    /// <summary>The identifier of "read metering data", sent least significant byte first (1F 90).</summary>
    public const ushort MeteringData = 0x901F;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _request = new byte[Cjt188Frame.MaxFrameLength(8)];
    private readonly byte[] _response = new byte[Cjt188Frame.Layout.MaxFrameLength];
    private byte _sequence;

    public MeterLine Line => line;

    public Action<string, ReadOnlyMemory<byte>>? FrameObserver { get; set; }

    /// <summary>Leaves the line open: it may carry other clients.</summary>
    public void Dispose() => _gate.Dispose();

    /// <summary>Reads the metering data of a meter of <paramref name="type"/> and decodes it by <paramref name="layout"/>.</summary>
    public async ValueTask<Cjt188MeteringData> ReadMeteringDataAsync(Cjt188MeterType type, Cjt188Address address, Cjt188Layout layout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = ++_sequence;
            Span<byte> data = [MeteringData & 0xFF, MeteringData >> 8, sequence];
            var length = Cjt188Frame.Write(_request, line.Options.Preamble, type, address, Cjt188Frame.ReadData, data);
            var (header, payload) = await ExchangeAsync(length, address, cancellationToken).ConfigureAwait(false);
            Check(header, type, address, Cjt188Frame.ReadData);
            var bytes = _response.AsSpan(payload);
            if (bytes.Length < 3)
            {
                throw MeterFrameException.Of(MeterFrameFault.Length, $"a reply of {bytes.Length} bytes, shorter than DI and SER");
            }

            if ((header.Control & Cjt188Frame.Error) != 0)
            {
                var status = bytes.Length >= 5 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[3..]) : bytes[^1];
                throw new Cjt188DeviceException(header.Address, header.Control, status, line.Endpoint);
            }

            var di = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
            if (di != MeteringData)
            {
                throw MeterFrameException.Of(MeterFrameFault.WrongIdentifier, $"an answer about {di:X4} to a request for {MeteringData:X4}");
            }

            if (bytes[2] != sequence)
            {
                throw MeterFrameException.Of(MeterFrameFault.WrongIdentifier, $"sequence byte {bytes[2]:X2} in answer to {sequence:X2}");
            }

            return Cjt188MeteringData.Decode(bytes[3..], layout);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Asks the one meter on the line for its address (03H, DI 810AH, to AA…AA); returns its type and address.</summary>
    public async ValueTask<(Cjt188MeterType Type, Cjt188Address Address)> ReadAddressAsync(Cjt188MeterType type, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = ++_sequence;
            Span<byte> data = [0x0A, 0x81, sequence];
            var length = Cjt188Frame.Write(_request, line.Options.Preamble, type, Cjt188Address.Broadcast, Cjt188Frame.ReadAddress, data);
            var (header, _) = await ExchangeAsync(length, Cjt188Address.Broadcast, cancellationToken).ConfigureAwait(false);
            Check(header, null, Cjt188Address.Broadcast, Cjt188Frame.ReadAddress);
            return (header.Type, header.Address);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void Check(Cjt188Header header, Cjt188MeterType? type, Cjt188Address address, byte function)
    {
        if (!address.Matches(header.Address))
        {
            throw MeterFrameException.Of(MeterFrameFault.WrongAddress, $"an answer from {header.Address} to a request to {address}");
        }

        if (type is { } t && header.Type != t)
        {
            throw MeterFrameException.Of(MeterFrameFault.WrongAddress, $"an answer from a meter of type {(byte)header.Type:X2} to a request to type {(byte)t:X2}");
        }

        if ((header.Control & Cjt188Frame.Reply) == 0 || (header.Control & 0x3F) != function)
        {
            throw MeterFrameException.Of(MeterFrameFault.WrongControl, $"control {header.Control:X2} in answer to function {function:X2}");
        }
    }

    private async ValueTask<(Cjt188Header Header, Range Payload)> ExchangeAsync(int requestLength, Cjt188Address meter, CancellationToken cancellationToken)
    {
        FrameObserver?.Invoke("→", _request.AsMemory(0, requestLength));
        int length;
        try
        {
            length = await line.ExchangeAsync(_request.AsMemory(0, requestLength), Cjt188Frame.Layout, _response, cancellationToken).ConfigureAwait(false);
        }
        catch (MeterTimeoutException e)
        {
            throw e.For(meter.ToString());
        }

        FrameObserver?.Invoke("←", _response.AsMemory(0, length));
        var header = Cjt188Frame.Decode(_response.AsSpan(0, length), out var payload);
        return (header, payload);
    }
}
