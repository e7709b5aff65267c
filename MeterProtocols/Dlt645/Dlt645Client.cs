using System.Runtime.CompilerServices;
using EnergyMonitor.MeterProtocols.Line;

namespace EnergyMonitor.MeterProtocols.Dlt645;

/// <summary>What one read returned: the meter that answered, and how many value bytes it sent.</summary>
public readonly record struct Dlt645Reading(Dlt645Address Meter, int Length);

/// <summary>
/// The DL/T 645 master: read data (with its follow-up frames), read address, over a <see cref="MeterLine"/> that it
/// may share with other protocols' clients. Refusals become <see cref="Dlt645DeviceException"/>; an answer from
/// another meter, to another identifier or with another function is a <see cref="MeterFrameException"/>.
/// </summary>
public sealed class Dlt645Client(MeterLine line) : IDisposable
{
    // -2007 §7.1: a read reply's DATA is at most 200 bytes; follow-up frames assemble into this.
    private const int MaxValueLength = 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _request = new byte[Dlt645Frame.MaxFrameLength(8)];
    private readonly byte[] _response = new byte[Dlt645Frame.Layout.MaxFrameLength];
    private readonly byte[] _data = new byte[Dlt645Frame.MaxDataLength];
    private readonly byte[] _value = new byte[MaxValueLength];

    public MeterLine Line => line;

    /// <summary>The frames of the last exchange, for a technician's <c>--frames</c>; null unless set.</summary>
    public Action<string, ReadOnlyMemory<byte>>? FrameObserver { get; set; }

    /// <summary>Leaves the line open: it may carry other clients.</summary>
    public void Dispose() => _gate.Dispose();

    /// <summary>Reads <paramref name="di"/> and decodes it as <paramref name="format"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<decimal> ReadValueAsync(Dlt645Address address, DataIdentifier di, BcdFormat format, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reading = await ReadLockedAsync(address, di, cancellationToken).ConfigureAwait(false);
            return format.Decode(_value.AsSpan(0, reading.Length));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads <paramref name="di"/> and copies its value bytes (offset removed, least significant first) into <paramref name="value"/>.</summary>
    public async ValueTask<Dlt645Reading> ReadAsync(Dlt645Address address, DataIdentifier di, Memory<byte> value, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reading = await ReadLockedAsync(address, di, cancellationToken).ConfigureAwait(false);
            if (reading.Length > value.Length)
            {
                throw MeterFrameException.Of(MeterFrameFault.Length, $"{reading.Length} value bytes for a buffer of {value.Length}");
            }

            _value.AsMemory(0, reading.Length).CopyTo(value);
            return reading;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Asks every meter on the line for its address (13H to AA…AA). Only one meter may be on the line: two answering
    /// at once garble each other, which shows as a frame error.
    /// </summary>
    public async ValueTask<Dlt645Address> ReadAddressAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var length = Dlt645Frame.Write(_request, line.Options.Preamble, Dlt645Address.Broadcast, Dlt645Control.ReadAddress, []);
            var header = await ExchangeAsync(length, Dlt645Address.Broadcast, cancellationToken).ConfigureAwait(false);
            ExpectControl(header, Dlt645Control.ReadAddress);
            if (Dlt645Control.IsError(header.Control))
            {
                throw MeterFrameException.Of(MeterFrameFault.WrongControl, $"an error reply ({header.Control:X2}) to read address");
            }

            if (header.DataLength != Dlt645Address.Size)
            {
                throw MeterFrameException.Of(MeterFrameFault.Length, $"read address answered with {header.DataLength} bytes, expected 6");
            }

            var inData = Dlt645Address.Read(_data.AsSpan(0, Dlt645Address.Size));
            return inData == header.Address
                ? inData
                : throw MeterFrameException.Of(MeterFrameFault.WrongAddress, $"read address answered from {header.Address} with {inData} in DATA");
        }
        finally
        {
            _gate.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Dlt645Reading> ReadLockedAsync(Dlt645Address address, DataIdentifier di, CancellationToken cancellationToken)
    {
        var length = Dlt645Frame.WriteRead(_request, line.Options.Preamble, address, di);
        var header = await ExchangeAsync(length, address, cancellationToken).ConfigureAwait(false);
        var function = Dlt645Control.Read(di.Version);
        var answering = CheckAnswer(header, address, function, di);
        var valueLength = header.DataLength - di.Size;
        _data.AsSpan(di.Size, valueLength).CopyTo(_value);

        // B1H (-2007) or A1H (-1997): the value goes on in follow-up frames, asked for one by one.
        byte sequence = 0;
        while (Dlt645Control.HasMore(header.Control))
        {
            sequence++;
            length = WriteFollowUp(answering, di, sequence);
            header = await ExchangeAsync(length, address, cancellationToken).ConfigureAwait(false);
            CheckAnswer(header, answering, Dlt645Control.ReadFollowUp(di.Version), di);
            var part = header.DataLength - di.Size;
            if (di.Version == Dlt645Version.V2007)
            {
                // -2007 follow-up replies end with the sequence number they answer.
                part--;
                if (part < 0 || _data[header.DataLength - 1] != sequence)
                {
                    throw MeterFrameException.Of(MeterFrameFault.WrongIdentifier, $"follow-up frame {sequence} answered out of sequence");
                }
            }

            if (valueLength + part > MaxValueLength)
            {
                throw MeterFrameException.Of(MeterFrameFault.Length, $"follow-up frames beyond {MaxValueLength} bytes");
            }

            _data.AsSpan(di.Size, part).CopyTo(_value.AsSpan(valueLength));
            valueLength += part;
        }

        return new Dlt645Reading(answering, valueLength);
    }

    private int WriteFollowUp(Dlt645Address address, DataIdentifier di, byte sequence)
    {
        Span<byte> data = stackalloc byte[5];
        di.Write(data);
        var size = di.Size;
        if (di.Version == Dlt645Version.V2007)
        {
            data[size++] = sequence;
        }

        return Dlt645Frame.Write(_request, line.Options.Preamble, address, Dlt645Control.ReadFollowUp(di.Version), data[..size]);
    }

    /// <summary>Checks that the answer comes from the meter asked, to the function and identifier asked; returns who answered.</summary>
    private Dlt645Address CheckAnswer(Dlt645Header header, Dlt645Address asked, byte function, DataIdentifier di)
    {
        if (!asked.Matches(header.Address))
        {
            throw MeterFrameException.Of(MeterFrameFault.WrongAddress, $"an answer from {header.Address} to a request to {asked}");
        }

        ExpectControl(header, function);
        if (Dlt645Control.IsError(header.Control))
        {
            if (header.DataLength != 1)
            {
                throw MeterFrameException.Of(MeterFrameFault.Length, $"an error reply with {header.DataLength} bytes, expected 1");
            }

            throw new Dlt645DeviceException(header.Address, di, _data[0], line.Endpoint);
        }

        if (header.DataLength < di.Size)
        {
            throw MeterFrameException.Of(MeterFrameFault.Length, $"a reply of {header.DataLength} bytes, shorter than its identifier");
        }

        var answered = DataIdentifier.Read(_data, di.Version);
        return answered == di
            ? header.Address
            : throw MeterFrameException.Of(MeterFrameFault.WrongIdentifier, $"an answer about {answered} to a request for {di}");
    }

    private static void ExpectControl(Dlt645Header header, byte function)
    {
        if (!Dlt645Control.IsReply(header.Control) || Dlt645Control.Function(header.Control) != function)
        {
            throw MeterFrameException.Of(MeterFrameFault.WrongControl, $"control {header.Control:X2} in answer to function {function:X2}");
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Dlt645Header> ExchangeAsync(int requestLength, Dlt645Address meter, CancellationToken cancellationToken)
    {
        FrameObserver?.Invoke("→", _request.AsMemory(0, requestLength));
        int length;
        try
        {
            length = await line.ExchangeAsync(_request.AsMemory(0, requestLength), Dlt645Frame.Layout, _response, cancellationToken).ConfigureAwait(false);
        }
        catch (MeterTimeoutException e)
        {
            throw e.For(meter.ToString());
        }

        FrameObserver?.Invoke("←", _response.AsMemory(0, length));
        return Dlt645Frame.Decode(_response.AsSpan(0, length), _data);
    }
}
