using System.Globalization;
using System.IO.Ports;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EnergyMonitor.Modbus;

/// <summary>
/// One connection to a Modbus device or gateway, carrying one request at a time. It owns timeouts, pacing and
/// reconnection, and leaves the framing to the <see cref="ModbusFramer"/> of its <see cref="ModbusFraming"/>; it
/// knows nothing of registers or meters. Whatever the line does, what escapes is a <see cref="ModbusTimeoutException"/>,
/// a <see cref="ModbusProtocolException"/> or a <see cref="ModbusCommunicationException"/>.
/// </summary>
public sealed class ModbusTransport : IAsyncDisposable
{
    private const int FrameCapacity = ModbusLimits.MaxPduLength + MbapHeader.Size + 3;

    private readonly Func<CancellationToken, ValueTask<Stream>> _connect;
    private readonly ModbusTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _send = new byte[FrameCapacity];
    private readonly byte[] _receive = new byte[FrameCapacity];
    private readonly ModbusFramer _framer;
    private readonly ReadProgress _progress = new();
    private CancellationTokenSource _timeout = new();
    private Stream? _stream;
    private long _lastFrameTimestamp;
    private int _consecutiveTimeouts;
    private bool _drainBeforeNextRequest;

    public ModbusTransport(string endpoint, ModbusFraming framing, Func<CancellationToken, ValueTask<Stream>> connect, ModbusTransportOptions? options = null, TimeProvider? time = null)
    {
        Endpoint = endpoint;
        Framing = framing;
        _framer = ModbusFramer.For(framing);
        _connect = connect;
        _options = options ?? new ModbusTransportOptions();
        _time = time ?? TimeProvider.System;
    }

    public string Endpoint { get; }

    public ModbusFraming Framing { get; }

    public bool IsConnected => _stream is not null;

    /// <summary>How many times a connection was (re-)established; for health reporting and tests.</summary>
    public int ConnectCount { get; private set; }

    /// <summary>A TCP connection to a Modbus TCP device or a serial-to-Ethernet gateway, with TCP keep-alive on.</summary>
    public static ModbusTransport Tcp(string host, int port, ModbusFraming framing, ModbusTransportOptions? options = null, TimeProvider? time = null)
    {
        var opts = options ?? new ModbusTransportOptions();
        return new ModbusTransport($"{host}:{port.ToString(CultureInfo.InvariantCulture)}", framing, async ct =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // Keep-alive probes find a gateway that vanished without a FIN (power cut, pulled cable).
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 3);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(opts.ConnectTimeout);
                await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }, opts, time);
    }

    /// <summary>A serial line (RS-485 adapter) with RTU framing; the inter-frame delay follows the baud rate.</summary>
    public static ModbusTransport Serial(string portName, int baudRate, Parity parity, StopBits stopBits, ModbusTransportOptions? options = null, TimeProvider? time = null)
    {
        var opts = (options ?? new ModbusTransportOptions()) with { InterFrameDelay = RtuFrame.InterFrameDelay(baudRate) };
        return new ModbusTransport(portName, ModbusFraming.Rtu, _ =>
        {
            var port = new SerialPort(portName, baudRate, parity, 8, stopBits)
            {
                // SerialPort streams ignore cancellation; the read timeout bounds a read instead.
                ReadTimeout = (int)opts.ResponseTimeout.TotalMilliseconds,
                WriteTimeout = (int)opts.ResponseTimeout.TotalMilliseconds,
            };
            port.Open();
            return ValueTask.FromResult(port.BaseStream);
        }, opts, time);
    }

    /// <summary>Sends one request PDU to <paramref name="unit"/> and copies the response PDU into <paramref name="response"/>.</summary>
    /// <returns>The length of the response PDU.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ExchangeAsync(byte unit, ReadOnlyMemory<byte> request, Memory<byte> response, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            await PaceAsync(stream, cancellationToken).ConfigureAwait(false);
            var frameLength = _framer.WriteRequest(_send, unit, request.Span);

            // One timeout source reused across requests keeps the steady state free of allocations.
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }

            _timeout.CancelAfter(_options.ResponseTimeout);
            using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timeout);
            var token = _timeout.Token;
            var progress = _progress;
            progress.BytesOfFrame = 0;
            try
            {
                await stream.WriteAsync(_send.AsMemory(0, frameLength), token).ConfigureAwait(false);
                var length = await _framer.ReadResponseAsync(stream, _receive, unit, response, progress, Endpoint, token).ConfigureAwait(false);
                _consecutiveTimeouts = 0;
                return length;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await OnTimeoutAsync(progress.BytesOfFrame > 0).ConfigureAwait(false);
                throw new ModbusTimeoutException(unit, Endpoint, _options.ResponseTimeout);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up mid-exchange; the rest of this frame may still arrive.
                await CloseAsync().ConfigureAwait(false);
                throw;
            }
            catch (TimeoutException)
            {
                // SerialPort reports its read timeout this way.
                await OnTimeoutAsync(partialFrame: true).ConfigureAwait(false);
                throw new ModbusTimeoutException(unit, Endpoint, _options.ResponseTimeout);
            }
            catch (ModbusProtocolException)
            {
                // The byte stream is out of step: only a fresh connection is trustworthy.
                await CloseAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                await CloseAsync().ConfigureAwait(false);
                throw new ModbusCommunicationException(Endpoint, e);
            }
            finally
            {
                _lastFrameTimestamp = _time.GetTimestamp();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask CloseAsync()
    {
        var stream = _stream;
        _stream = null;
        _framer.Reset();
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _gate.Dispose();
        _timeout.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Stream> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            return _stream;
        }

        try
        {
            _stream = await _connect(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Refused, unreachable, timed out connecting, or a serial port that is not there or not ours.
            throw new ModbusCommunicationException(Endpoint, e);
        }

        ConnectCount++;
        _consecutiveTimeouts = 0;
        _drainBeforeNextRequest = false;
        if (_options.PauseAfterConnect > TimeSpan.Zero)
        {
            await Task.Delay(_options.PauseAfterConnect, _time, cancellationToken).ConfigureAwait(false);
        }

        return _stream;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PaceAsync(Stream stream, CancellationToken cancellationToken)
    {
        var gap = _framer.Rest(_options);
        var wait = gap - _time.GetElapsedTime(_lastFrameTimestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        if (_drainBeforeNextRequest && stream is NetworkStream network)
        {
            // A late answer to the request that timed out would otherwise be read as the answer to this one.
            while (network.DataAvailable)
            {
                _ = await network.ReadAsync(_receive, cancellationToken).ConfigureAwait(false);
            }
        }

        _drainBeforeNextRequest = false;
    }

    private async ValueTask OnTimeoutAsync(bool partialFrame)
    {
        _consecutiveTimeouts++;
        if (partialFrame || _consecutiveTimeouts >= _options.ReconnectAfterTimeouts)
        {
            await CloseAsync().ConfigureAwait(false);
            return;
        }

        _drainBeforeNextRequest = _framer.AbandonLastRequest();
    }
}
