using System.Globalization;
using System.Runtime.CompilerServices;

namespace EnergyMonitor.Modbus;

/// <summary>How far into a response frame the transport got, so that a timeout can tell a silent device from a cut frame.</summary>
internal sealed class ReadProgress
{
    public int BytesOfFrame { get; set; }
}

/// <summary>
/// One framing's half of an exchange: how a request PDU is framed, how the response frame is read and opened, how
/// long the line rests between frames, and what a timed-out exchange leaves behind. Chosen once per connection,
/// as MQTTnet chooses its packet formatter once per protocol version; the transport does the rest.
/// </summary>
internal abstract class ModbusFramer
{
    public static ModbusFramer For(ModbusFraming framing) => framing == ModbusFraming.Tcp ? new TcpFramer() : new RtuFramer();

    /// <summary>Frames <paramref name="pdu"/> for <paramref name="unit"/> into <paramref name="frame"/>; returns the frame's length.</summary>
    public abstract int WriteRequest(Span<byte> frame, byte unit, ReadOnlySpan<byte> pdu);

    /// <summary>Reads the response to the request last written and copies its PDU into <paramref name="response"/>; returns the PDU's length.</summary>
    public abstract ValueTask<int> ReadResponseAsync(Stream stream, byte[] buffer, byte unit, Memory<byte> response, ReadProgress progress, string endpoint, CancellationToken cancellationToken);

    /// <summary>The rest the line needs between the last frame and the next request.</summary>
    public abstract TimeSpan Rest(ModbusTransportOptions options);

    /// <summary>After a timeout with the connection kept: whether to drain what arrives before the next request.</summary>
    public abstract bool AbandonLastRequest();

    /// <summary>The connection closed: nothing of the last one is pending any more.</summary>
    public virtual void Reset()
    {
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected static async ValueTask ReadExactlyAsync(Stream stream, Memory<byte> buffer, ReadProgress progress, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture,
                    $"connection closed after {progress.BytesOfFrame} bytes of a frame"));
            }

            progress.BytesOfFrame += read;
            buffer = buffer[read..];
        }
    }

    /// <summary>MBAP (Modbus Messaging on TCP/IP §3.1.3): transaction ids pair answers with requests.</summary>
    private sealed class TcpFramer : ModbusFramer
    {
        // Transaction ids of requests that timed out: their late answers are skipped, not mistaken for errors.
        private readonly Queue<ushort> _abandoned = new();
        private ushort _transactionId;

        public override int WriteRequest(Span<byte> frame, byte unit, ReadOnlySpan<byte> pdu)
        {
            _transactionId++;
            MbapHeader.Write(frame, _transactionId, unit, pdu.Length);
            pdu.CopyTo(frame[MbapHeader.Size..]);
            return MbapHeader.Size + pdu.Length;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadResponseAsync(Stream stream, byte[] buffer, byte unit, Memory<byte> response, ReadProgress progress, string endpoint, CancellationToken cancellationToken)
        {
            var transactionId = _transactionId;
            while (true)
            {
                progress.BytesOfFrame = 0;
                await ReadExactlyAsync(stream, buffer.AsMemory(0, MbapHeader.Size), progress, cancellationToken).ConfigureAwait(false);
                var header = MbapHeader.Read(buffer);
                await ReadExactlyAsync(stream, buffer.AsMemory(MbapHeader.Size, header.PduLength), progress, cancellationToken).ConfigureAwait(false);
                if (header.TransactionId != transactionId)
                {
                    if (_abandoned.Contains(header.TransactionId))
                    {
                        continue;
                    }

                    throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture,
                        $"response transaction id 0x{header.TransactionId:X4} from {endpoint}, expected 0x{transactionId:X4}"));
                }

                if (header.Unit != unit)
                {
                    throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"response from unit {header.Unit} at {endpoint}, expected {unit}"));
                }

                buffer.AsSpan(MbapHeader.Size, header.PduLength).CopyTo(response.Span);
                return header.PduLength;
            }
        }

        public override TimeSpan Rest(ModbusTransportOptions options) => options.PauseBetweenRequests;

        public override bool AbandonLastRequest()
        {
            _abandoned.Enqueue(_transactionId);
            if (_abandoned.Count > 16)
            {
                _abandoned.Dequeue();
            }

            return false;
        }

        public override void Reset() => _abandoned.Clear();
    }

    /// <summary>RTU (Modbus over Serial Line §2.5.1): unit, PDU and CRC, with 3.5 character times of silence between frames.</summary>
    private sealed class RtuFramer : ModbusFramer
    {
        public override int WriteRequest(Span<byte> frame, byte unit, ReadOnlySpan<byte> pdu) => RtuFrame.Write(frame, unit, pdu);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadResponseAsync(Stream stream, byte[] buffer, byte unit, Memory<byte> response, ReadProgress progress, string endpoint, CancellationToken cancellationToken)
        {
            await ReadExactlyAsync(stream, buffer.AsMemory(0, 3), progress, cancellationToken).ConfigureAwait(false);
            var length = RtuFrame.ResponseLength(buffer);
            await ReadExactlyAsync(stream, buffer.AsMemory(3, length - 3), progress, cancellationToken).ConfigureAwait(false);
            var pdu = RtuFrame.Open(buffer.AsSpan(0, length), unit);
            pdu.CopyTo(response.Span);
            return pdu.Length;
        }

        public override TimeSpan Rest(ModbusTransportOptions options) => options.InterFrameDelay + options.PauseBetweenRequests;

        // RTU has no transaction ids: a late answer can only be told apart by draining it before the next request.
        public override bool AbandonLastRequest() => true;
    }
}
