using System.Globalization;
using System.IO.Ports;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EnergyMonitor.MeterProtocols.Line;

/// <summary>
/// One RS-485 bus, reached through a transparent gateway or a local serial port: one request at a time, whatever
/// the meter. It owns the connection, the pacing and the timeouts, and cuts answers out of the byte stream by their
/// <see cref="FrameLayout"/>; it knows nothing of addresses, identifiers or values. What escapes is a
/// <see cref="MeterTimeoutException"/>, a <see cref="MeterFrameException"/> or a <see cref="MeterLineException"/>.
/// </summary>
public sealed class MeterLine : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask<Stream>> _connect;
    private readonly MeterLineOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _one = new byte[1];
    private readonly byte[] _drain = new byte[256];
    private CancellationTokenSource _timeout = new();
    private Stream? _stream;
    private long _lastFrameTimestamp;
    private int _consecutiveTimeouts;
    private bool _drainBeforeNextRequest;
    private int _bytesOfFrame;

    public MeterLine(string endpoint, Func<CancellationToken, ValueTask<Stream>> connect, MeterLineOptions? options = null, TimeProvider? time = null)
    {
        Endpoint = endpoint;
        _connect = connect;
        _options = options ?? new MeterLineOptions();
        _time = time ?? TimeProvider.System;
    }

    public string Endpoint { get; }

    public MeterLineOptions Options => _options;

    public bool IsConnected => _stream is not null;

    /// <summary>How many times a connection was (re-)established.</summary>
    public int ConnectCount { get; private set; }

    /// <summary>A transparent serial-to-Ethernet gateway: the bytes of the line as they are, over TCP.</summary>
    public static MeterLine Tcp(string host, int port, MeterLineOptions? options = null, TimeProvider? time = null)
    {
        var opts = options ?? new MeterLineOptions();
        return new MeterLine($"{host}:{port.ToString(CultureInfo.InvariantCulture)}", async ct =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // Keep-alive finds a gateway that vanished without a FIN (power cut, pulled cable).
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

    /// <summary>
    /// A local serial port (an RS-485 adapter). DL/T 645 meters default to 2400 baud, 8 data bits, even parity, one
    /// stop bit; the pause between requests is at least the time of 4 characters at the line's rate.
    /// </summary>
    public static MeterLine Serial(string portName, int baudRate, Parity parity, StopBits stopBits, MeterLineOptions? options = null, TimeProvider? time = null)
    {
        var opts = options ?? new MeterLineOptions();
        var fourCharacters = TimeSpan.FromSeconds(4.0 * 11 / baudRate);
        opts = opts with { PauseBetweenRequests = opts.PauseBetweenRequests > fourCharacters ? opts.PauseBetweenRequests : fourCharacters };
        return new MeterLine(portName, _ =>
        {
            var port = new SerialPort(portName, baudRate, parity, 8, stopBits)
            {
                // SerialPort streams ignore cancellation; the read timeout bounds a read instead.
                ReadTimeout = (int)opts.ResponseTimeout.TotalMilliseconds,
                WriteTimeout = (int)opts.ResponseTimeout.TotalMilliseconds,
            };
            port.Open();
            port.DiscardInBuffer();
            return ValueTask.FromResult(port.BaseStream);
        }, opts, time);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads one answer framed by <paramref name="layout"/> into
    /// <paramref name="response"/>, from its start byte to its end byte (the preamble left behind).
    /// </summary>
    /// <returns>The length of the answer frame.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ExchangeAsync(ReadOnlyMemory<byte> request, FrameLayout layout, Memory<byte> response, CancellationToken cancellationToken)
    {
        if (response.Length < layout.MaxFrameLength)
        {
            throw new ArgumentException($"a buffer of at least {layout.MaxFrameLength} bytes", nameof(response));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            await PaceAsync(stream, cancellationToken).ConfigureAwait(false);

            // One timeout source reused across requests keeps the steady state free of allocations.
            if (!_timeout.TryReset())
            {
                _timeout.Dispose();
                _timeout = new CancellationTokenSource();
            }

            _timeout.CancelAfter(_options.ResponseTimeout);
            using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timeout);
            var token = _timeout.Token;
            _bytesOfFrame = 0;
            try
            {
                await stream.WriteAsync(request, token).ConfigureAwait(false);
                var length = await ReadFrameAsync(stream, layout, response, token).ConfigureAwait(false);
                _consecutiveTimeouts = 0;
                return length;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await OnTimeoutAsync(_bytesOfFrame > 0).ConfigureAwait(false);
                throw Silence();
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
                throw Silence();
            }
            catch (MeterFrameException)
            {
                // The rest of a bad frame may still be on its way: only a fresh connection is in step.
                await CloseAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                await CloseAsync().ConfigureAwait(false);
                throw new MeterLineException(Endpoint, e);
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

    /// <summary>
    /// No whole answer in time: a meter that said nothing is silent (a timeout, which its breaker counts); one that
    /// began an answer and stopped sent a truncated frame (a fault, counted as such).
    /// </summary>
    private Exception Silence() => _bytesOfFrame > 0
        ? (Exception)MeterFrameException.Of(MeterFrameFault.Truncated, $"the answer stopped after {_bytesOfFrame} bytes and nothing more came within {_options.ResponseTimeout.TotalMilliseconds:F0} ms")
        : new MeterTimeoutException(null, Endpoint, _options.ResponseTimeout);

    /// <summary>Sends a frame that nothing answers (a broadcast time sync).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            await PaceAsync(stream, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            _lastFrameTimestamp = _time.GetTimestamp();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            await CloseAsync().ConfigureAwait(false);
            throw new MeterLineException(Endpoint, e);
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

    /// <summary>
    /// Skips the preamble (FEH), refuses anything else before the start byte, then reads up to the length byte and
    /// exactly the rest. Reading byte by byte only until the start byte keeps a following frame in the stream.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadFrameAsync(Stream stream, FrameLayout layout, Memory<byte> response, CancellationToken cancellationToken)
    {
        var preamble = 0;
        while (true)
        {
            await ReadExactlyAsync(stream, _one, cancellationToken).ConfigureAwait(false);
            var b = _one[0];
            if (b == FrameLayout.Start)
            {
                break;
            }

            if (b != FrameLayout.Preamble || ++preamble > _options.MaxPreambleAccepted)
            {
                throw MeterFrameException.Of(MeterFrameFault.Noise, $"byte {b:X2} before the start of a frame, after {preamble} bytes of preamble");
            }
        }

        response.Span[0] = FrameLayout.Start;
        await ReadExactlyAsync(stream, response[1..(layout.LengthOffset + 1)], cancellationToken).ConfigureAwait(false);
        var dataLength = response.Span[layout.LengthOffset];
        if (dataLength > layout.MaxDataLength)
        {
            throw MeterFrameException.Of(MeterFrameFault.Length, $"a length byte of {dataLength}, at most {layout.MaxDataLength}");
        }

        var total = layout.FrameLength(dataLength);
        await ReadExactlyAsync(stream, response[(layout.LengthOffset + 1)..total], cancellationToken).ConfigureAwait(false);
        return total;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw MeterFrameException.Of(MeterFrameFault.Truncated, $"the connection closed inside a frame");
            }

            _bytesOfFrame += read;
            buffer = buffer[read..];
        }
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
            throw new MeterLineException(Endpoint, e);
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
        var wait = _options.PauseBetweenRequests - _time.GetElapsedTime(_lastFrameTimestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        if (_drainBeforeNextRequest && stream is NetworkStream network)
        {
            // A late answer to the request that timed out would otherwise be read as the answer to this one.
            while (network.DataAvailable)
            {
                _ = await network.ReadAsync(_drain, cancellationToken).ConfigureAwait(false);
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

        _drainBeforeNextRequest = true;
    }
}
