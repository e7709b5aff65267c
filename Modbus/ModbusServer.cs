using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Modbus;

/// <summary>
/// A Modbus server (slave) for the simulator and tests: serves the units of <see cref="Units"/> over TCP with
/// MBAP or RTU framing, or over any stream (a serial port). Malformed requests are counted and dropped; the
/// server never stops on them.
/// </summary>
public sealed class ModbusServer : IAsyncDisposable
{
    private readonly Dictionary<byte, ModbusDataBank> _units;
    private readonly ModbusFraming _framing;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private readonly long[] _requests = new long[256];
    private long _malformed;

    public ModbusServer(IReadOnlyDictionary<byte, ModbusDataBank> units, ModbusFraming framing, ILogger? logger = null)
    {
        _units = units.ToDictionary();
        _framing = framing;
        _logger = logger ?? NullLogger.Instance;
    }

    public IReadOnlyDictionary<byte, ModbusDataBank> Units => _units;

    public int Port => ((IPEndPoint?)_listener?.LocalEndpoint)?.Port ?? 0;

    public long MalformedFrames => Interlocked.Read(ref _malformed);

    /// <summary>Well-formed requests received for a unit, answered or not.</summary>
    public long RequestsFor(byte unit) => Interlocked.Read(ref _requests[unit]);

    /// <summary>Test hook: when set, requests to these units get no answer at all (a dead meter behind a live gateway).</summary>
    public HashSet<byte> SilentUnits { get; } = [];

    public void Start(IPEndPoint endpoint)
    {
        _listener = new TcpListener(endpoint);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>Serves one connection (TCP client or serial port) until it closes or the server stops.</summary>
    public async Task ServeAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        var buffer = new byte[ModbusLimits.MaxPduLength + MbapHeader.Size + 3];
        var response = new byte[ModbusLimits.MaxPduLength + MbapHeader.Size + 3];
        try
        {
            while (!token.IsCancellationRequested)
            {
                var written = _framing == ModbusFraming.Tcp
                    ? await ServeTcpFrameAsync(stream, buffer, response, token).ConfigureAwait(false)
                    : await ServeRtuFrameAsync(stream, buffer, response, token).ConfigureAwait(false);
                if (written < 0)
                {
                    return;
                }

                if (written > 0)
                {
                    await stream.WriteAsync(response.AsMemory(0, written), token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The peer went away or the server is stopping; either way this session is over.
        }
        catch (ModbusProtocolException e)
        {
            Interlocked.Increment(ref _malformed);
            _logger.LogWarning("Closing Modbus session after a malformed frame: {Reason}", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).ConfigureAwait(false);
        _listener?.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            var session = Task.Run(async () =>
            {
                await using var stream = new NetworkStream(socket, ownsSocket: true);
                await ServeAsync(stream, cancellationToken).ConfigureAwait(false);
            }, CancellationToken.None);
            lock (_sessions)
            {
                _sessions.RemoveAll(t => t.IsCompleted);
                _sessions.Add(session);
            }
        }
    }

    /// <returns>Response length; 0 for no response; -1 when the peer closed.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ServeTcpFrameAsync(Stream stream, byte[] buffer, byte[] response, CancellationToken cancellationToken)
    {
        if (!await ReadExactlyOrEndAsync(stream, buffer.AsMemory(0, MbapHeader.Size), cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        var header = MbapHeader.Read(buffer);
        if (!await ReadExactlyOrEndAsync(stream, buffer.AsMemory(MbapHeader.Size, header.PduLength), cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        var request = buffer.AsSpan(MbapHeader.Size, header.PduLength);
        Interlocked.Increment(ref _requests[header.Unit]);
        int pduLength;
        if (SilentUnits.Contains(header.Unit))
        {
            return 0;
        }

        if (_units.TryGetValue(header.Unit, out var bank))
        {
            pduLength = ModbusRequestHandler.Handle(request, response.AsSpan(MbapHeader.Size), bank);
        }
        else
        {
            // Modbus TCP gateways answer for units they cannot reach (Messaging on TCP/IP §4.4.1).
            pduLength = ModbusRequestHandler.Exception(response.AsSpan(MbapHeader.Size), request[0], ModbusExceptionCode.GatewayTargetFailedToRespond);
        }

        MbapHeader.Write(response, header.TransactionId, header.Unit, pduLength);
        return MbapHeader.Size + pduLength;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ServeRtuFrameAsync(Stream stream, byte[] buffer, byte[] response, CancellationToken cancellationToken)
    {
        if (!await ReadExactlyOrEndAsync(stream, buffer.AsMemory(0, 2), cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        var head = buffer[1] is 15 or 16 ? 7 : 2;
        if (head > 2 && !await ReadExactlyOrEndAsync(stream, buffer.AsMemory(2, head - 2), cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        var length = RtuFrame.RequestLength(buffer.AsSpan(0, head));
        if (!await ReadExactlyOrEndAsync(stream, buffer.AsMemory(head, length - head), cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        var unit = buffer[0];
        var request = RtuFrame.Open(buffer.AsSpan(0, length), unit);
        Interlocked.Increment(ref _requests[unit]);

        // On a serial bus every device hears every frame and only the addressed one answers.
        if (!_units.TryGetValue(unit, out var bank) || SilentUnits.Contains(unit))
        {
            return 0;
        }

        Span<byte> pdu = stackalloc byte[ModbusLimits.MaxPduLength];
        var pduLength = ModbusRequestHandler.Handle(request, pdu, bank);
        return RtuFrame.Write(response, unit, pdu[..pduLength]);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> ReadExactlyOrEndAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (total == 0)
                {
                    return false;
                }

                throw new ModbusProtocolException(string.Create(CultureInfo.InvariantCulture, $"request truncated after {total} bytes"));
            }

            total += read;
        }

        return true;
    }
}
