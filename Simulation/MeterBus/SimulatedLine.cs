using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Simulation.MeterBus;

/// <summary>
/// An RS-485 line of DL/T 645 and CJ/T 188 meters behind a transparent gateway: every meter hears every request,
/// the one addressed answers after its answer delay, and the answer takes its time on the wire at the line's baud
/// rate. Serves TCP (the gateway) or any stream (the far end of a serial port).
/// </summary>
public sealed class SimulatedLine : IAsyncDisposable
{
    private readonly IReadOnlyList<SimulatedBusMeter> _meters;
    private readonly int _baudRate;
    private readonly TimeSpan _answerDelay;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _bus = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private long _noise;

    /// <param name="answerDelay">A meter's delay before it answers; DL/T 645 allows 20 to 500 ms (docs/DOMAIN.md).</param>
    /// <param name="baudRate">The line's rate, which sets how long an answer takes on the wire; 0 for no wire time.</param>
    public SimulatedLine(IReadOnlyList<SimulatedBusMeter> meters, int baudRate = 2400, TimeSpan? answerDelay = null, ILogger? logger = null)
    {
        _meters = meters;
        _baudRate = baudRate;
        _answerDelay = answerDelay ?? TimeSpan.FromMilliseconds(30);
        _logger = logger;
    }

    public IReadOnlyList<SimulatedBusMeter> Meters => _meters;

    public int Port => ((IPEndPoint?)_listener?.LocalEndpoint)?.Port ?? 0;

    /// <summary>Bytes heard that were no frame (noise, collisions, requests cut short).</summary>
    public long Noise => Interlocked.Read(ref _noise);

    public void Start(IPEndPoint endpoint)
    {
        _listener = new TcpListener(endpoint);
        _listener.Start();
        _acceptLoop = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Serves one stream (a TCP client, or the other end of a serial port) until it closes or the line stops.</summary>
    public async Task ServeAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var ct = linked.Token;
        var buffer = new byte[1024];
        var filled = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    Interlocked.Add(ref _noise, filled);
                    filled = 0;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                while (BusFrameCutter.TryCut(buffer.AsSpan(0, filled), out var protocol, out var start, out var length, out var discard))
                {
                    Interlocked.Add(ref _noise, discard);
                    var request = buffer.AsSpan(start, length).ToArray();
                    buffer.AsSpan(start + length, filled - start - length).CopyTo(buffer);
                    filled -= start + length;
                    await AnswerAsync(stream, protocol, request, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
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

        await Task.WhenAll(_sessions).ConfigureAwait(false);
        _stop.Dispose();
        _bus.Dispose();
    }

    private async Task AnswerAsync(Stream stream, BusProtocol protocol, byte[] request, CancellationToken ct)
    {
        // One bus: a second gateway connection waits, as a real line would make it.
        await _bus.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var alone = _meters.Count(m => m.Fault != BusMeterFault.Silent) == 1;
            var answers = _meters.Select(m => m.Answer(protocol, request, alone)).OfType<byte[]>().ToList();
            if (answers.Count == 0)
            {
                return;
            }

            // Two meters talking at once: the line carries the AND of their bits (idle is 1), which no checksum survives.
            var answer = answers.Aggregate((a, b) => a.Length >= b.Length
                ? a.Select((x, i) => i < b.Length ? (byte)(x & b[i]) : x).ToArray()
                : b.Select((x, i) => i < a.Length ? (byte)(x & a[i]) : x).ToArray());
            var wire = _baudRate > 0 ? TimeSpan.FromSeconds(answer.Length * 11.0 / _baudRate) : TimeSpan.Zero;
            await Task.Delay(_answerDelay + wire, ct).ConfigureAwait(false);
            await stream.WriteAsync(answer, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _bus.Release();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _sessions.Add(Task.Run(async () =>
            {
                using (client)
                {
                    await ServeAsync(client.GetStream(), ct).ConfigureAwait(false);
                }
            }, CancellationToken.None));
            _logger?.LogDebug("Simulated line on {Port}: a gateway client connected", Port);
        }
    }
}
