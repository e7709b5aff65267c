using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.Modbus;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>
/// Polls the meters on one line (a gateway or serial port), one request at a time, whatever their protocol, each
/// meter on its own clock-aligned schedule.
/// A device that stops answering is parked by a circuit breaker and probed now and then, so it costs the
/// others at most one timeout per probe; a gateway that drops off is retried with back-off.
/// </summary>
public sealed class GatewayPoller : IAsyncDisposable
{
    private readonly Gateway _gateway;
    private readonly IMeterLine _line;
    private readonly ISampleSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PollerOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly List<Job> _jobs = [];
    private readonly ResiliencePipeline _connection;
    private readonly Dictionary<string, ResiliencePipeline> _devices = new(StringComparer.Ordinal);

    public GatewayPoller(Gateway gateway, IEnumerable<ILineDevice> devices, IMeterLine line, ISampleSink sink, TimeZoneInfo zone, PollerOptions options, TimeProvider time, ILogger logger)
    {
        _gateway = gateway;
        _line = line;
        _sink = sink;
        _zone = zone;
        _options = options;
        _time = time;
        _logger = logger;
        _connection = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromMinutes(10),
                BreakDuration = options.GatewayRetryInterval,

                // Back off from a gateway that stays away: 1×, 2×, 4× … the retry interval, at most 10 minutes.
                BreakDurationGenerator = a => ValueTask.FromResult(TimeSpan.FromTicks(Math.Min(
                    options.GatewayRetryInterval.Ticks << Math.Min(a.HalfOpenAttempts, 6), TimeSpan.FromMinutes(10).Ticks))),
                ShouldHandle = new PredicateBuilder().Handle<ModbusCommunicationException>().Handle<MeterLineException>(),
                OnOpened = a =>
                {
                    logger.LogWarning("Gateway {Gateway} at {Endpoint} unreachable; retrying in {Interval}", gateway.Id, line.Endpoint, a.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Gateway {Gateway} at {Endpoint} reachable again", gateway.Id, line.Endpoint);
                    return ValueTask.CompletedTask;
                },
            })
            .AddRetry(new RetryStrategyOptions
            {
                // A reset connection or a garbled frame is worth one immediate retry on a fresh connection.
                MaxRetryAttempts = 1,
                Delay = TimeSpan.FromMilliseconds(50),
                ShouldHandle = new PredicateBuilder().Handle<ModbusProtocolException>().Handle<ModbusCommunicationException>()
                    .Handle<MeterFrameException>().Handle<MeterLineException>(),
            })
            .Build();

        var now = time.GetUtcNow();
        foreach (var device in devices)
        {
            var first = options.PollOnStart ? now : Schedule.NextDue(now, device.Meter.Interval, zone);
            _jobs.Add(new Job(device, Fast: false, device.Meter.Interval, first));
            if (device.FastInterval is { } fast)
            {
                _jobs.Add(new Job(device, Fast: true, fast, options.PollOnStart ? now : Schedule.NextDue(now, fast, zone)));
            }
        }

        foreach (var device in _jobs.GroupBy(j => j.Device.Device, StringComparer.Ordinal))
        {
            _devices[device.Key] = DeviceBreaker(device.Key, device.Min(j => j.Interval));
        }
    }

    public string GatewayId => _gateway.Id;

    public IMeterLine Line => _line;

    public IReadOnlyList<ILineDevice> Devices => _jobs.Select(j => j.Device).Distinct().ToList();

    /// <summary>Polls until cancelled. Never throws for device, gateway or protocol trouble.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = _jobs.Min(j => j.Due);
            var wait = next - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            foreach (var job in _jobs.Where(j => j.Due <= _time.GetUtcNow()).OrderBy(j => j.Due).ToList())
            {
                await PollJobAsync(job, cancellationToken).ConfigureAwait(false);
            }

            if (_gateway.Quirks.CloseAfterPoll)
            {
                await _line.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads every meter once (all points) and returns the samples without sending them to the sink.</summary>
    public async Task<IReadOnlyList<Sample>> PollAllOnceAsync(CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        foreach (var device in Devices)
        {
            samples.AddRange(await PollMeterAsync(device, PointSelection.All, cancellationToken).ConfigureAwait(false));
        }

        return samples;
    }

    public ValueTask DisposeAsync() => _line.DisposeAsync();

    private async Task PollJobAsync(Job job, CancellationToken cancellationToken)
    {
        var samples = await PollMeterAsync(job.Device, job.Fast ? PointSelection.Fast : PointSelection.Slow, cancellationToken).ConfigureAwait(false);
        job.Due = Schedule.NextDue(_time.GetUtcNow(), job.Interval, _zone);
        if (samples.Count == 0 || cancellationToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _sink.AcceptAsync(samples, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Gateway {Gateway}: the sink refused {Count} samples of meter {Meter}", _gateway.Id, samples.Count, job.Device.Meter.Id);
        }
    }

    private async Task<List<Sample>> PollMeterAsync(ILineDevice device, PointSelection which, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var samples = await ReadMeterAsync(device, which, cancellationToken).ConfigureAwait(false);
        if (!cancellationToken.IsCancellationRequested)
        {
            _options.Observer?.Invoke(_gateway.Id, _time.GetElapsedTime(started), samples.Count > 0 && samples.All(s => (s.Quality & Core.Domain.ReadingQuality.Missing) == 0));
        }

        return samples;
    }

    private async Task<List<Sample>> ReadMeterAsync(ILineDevice device, PointSelection which, CancellationToken cancellationToken)
    {
        var requestTime = _time.GetUtcNow();
        var breaker = _devices[device.Device];
        try
        {
            return await breaker.ExecuteAsync(
                async ct => await _connection.ExecuteAsync(
                    async inner => await device.ReadAsync(which, requestTime, inner).ConfigureAwait(false), ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        catch (BrokenCircuitException)
        {
            return device.Missing(which, requestTime);
        }
        catch (Exception e) when (e is ModbusTimeoutException or ModbusProtocolException or ModbusCommunicationException
            or MeterTimeoutException or MeterFrameException or MeterLineException or OperationCanceledException)
        {
            _logger.LogWarning("Meter {Meter} ({Device} at {Endpoint}): {Error}", device.Meter.Id, device.Device, _line.Endpoint, e.Message);
            return device.Missing(which, requestTime);
        }
    }

    /// <remarks>
    /// Polly's breaker judges a failure ratio over a rolling window. A window of the device's last
    /// <see cref="PollerOptions.DeviceFailuresToPark"/> poll intervals, all failed, is what "stopped answering"
    /// means here; an earlier good hour no longer dilutes the ratio.
    /// </remarks>
    private ResiliencePipeline DeviceBreaker(string device, TimeSpan shortestInterval) =>
        new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = _options.DeviceFailuresToPark,
                SamplingDuration = TimeSpan.FromTicks(Math.Clamp((shortestInterval * _options.DeviceFailuresToPark).Ticks + TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond, TimeSpan.TicksPerDay)),
                BreakDuration = _options.DeviceProbeInterval,
                ShouldHandle = new PredicateBuilder().Handle<ModbusTimeoutException>().Handle<MeterTimeoutException>(),
                OnOpened = a =>
                {
                    _logger.LogWarning("Meter {Device} at {Endpoint} does not answer; parked, next probe in {Interval}", device, _line.Endpoint, a.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _logger.LogInformation("Meter {Device} at {Endpoint} answers again", device, _line.Endpoint);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private sealed record Job(ILineDevice Device, bool Fast, TimeSpan Interval, DateTimeOffset FirstDue)
    {
        public DateTimeOffset Due { get; set; } = FirstDue;
    }
}
