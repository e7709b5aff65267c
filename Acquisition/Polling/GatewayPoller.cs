using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Modbus;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace EnergyMonitor.Acquisition.Polling;

/// <summary>
/// Polls the meters behind one gateway, one request at a time, each meter on its own clock-aligned schedule.
/// A device that stops answering is parked by a circuit breaker and probed now and then, so it costs the
/// others at most one timeout per probe; a gateway that drops off is retried with back-off.
/// </summary>
public sealed class GatewayPoller : IAsyncDisposable
{
    private readonly Gateway _gateway;
    private readonly ModbusClient _client;
    private readonly ISampleSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PollerOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly MeterReader _reader;
    private readonly List<Job> _jobs = [];
    private readonly ResiliencePipeline _connection;
    private readonly Dictionary<byte, ResiliencePipeline> _devices = [];

    public GatewayPoller(Gateway gateway, IEnumerable<PolledMeter> meters, ModbusClient client, ISampleSink sink, TimeZoneInfo zone, PollerOptions options, TimeProvider time, ILogger logger)
    {
        _gateway = gateway;
        _client = client;
        _sink = sink;
        _zone = zone;
        _options = options;
        _time = time;
        _logger = logger;
        _reader = new MeterReader(logger);
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
                ShouldHandle = new PredicateBuilder().Handle<ModbusCommunicationException>(),
                OnOpened = a =>
                {
                    logger.LogWarning("Gateway {Gateway} at {Endpoint} unreachable; retrying in {Interval}", gateway.Id, client.Endpoint, a.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Gateway {Gateway} at {Endpoint} reachable again", gateway.Id, client.Endpoint);
                    return ValueTask.CompletedTask;
                },
            })
            .AddRetry(new RetryStrategyOptions
            {
                // A reset connection or a garbled frame is worth one immediate retry on a fresh connection.
                MaxRetryAttempts = 1,
                Delay = TimeSpan.FromMilliseconds(50),
                ShouldHandle = new PredicateBuilder().Handle<ModbusProtocolException>().Handle<ModbusCommunicationException>(),
            })
            .Build();

        var now = time.GetUtcNow();
        foreach (var meter in meters)
        {
            var first = options.PollOnStart ? now : Schedule.NextDue(now, meter.Meter.Interval, zone);
            _jobs.Add(new Job(meter, Fast: false, meter.Meter.Interval, first));
            if (meter.Source.FastInterval is { } fast)
            {
                _jobs.Add(new Job(meter, Fast: true, fast, options.PollOnStart ? now : Schedule.NextDue(now, fast, zone)));
            }

        }

        foreach (var unit in _jobs.GroupBy(j => j.Meter.Source.UnitId))
        {
            _devices[unit.Key] = DeviceBreaker(unit.Key, unit.Min(j => j.Interval));
        }
    }

    public string GatewayId => _gateway.Id;

    public IReadOnlyList<PolledMeter> Meters => _jobs.Select(j => j.Meter).Distinct().ToList();

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
                await _client.Transport.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads every meter once (all points) and returns the samples without sending them to the sink.</summary>
    public async Task<IReadOnlyList<Sample>> PollAllOnceAsync(CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        foreach (var meter in Meters)
        {
            var blocks = meter.SlowBlocks.Concat(meter.FastBlocks).ToList();
            samples.AddRange(await PollMeterAsync(meter, blocks, cancellationToken).ConfigureAwait(false));
        }

        return samples;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async Task PollJobAsync(Job job, CancellationToken cancellationToken)
    {
        var blocks = job.Fast ? job.Meter.FastBlocks : job.Meter.SlowBlocks;
        var samples = await PollMeterAsync(job.Meter, blocks, cancellationToken).ConfigureAwait(false);
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
            _logger.LogError(e, "Gateway {Gateway}: the sink refused {Count} samples of meter {Meter}", _gateway.Id, samples.Count, job.Meter.Meter.Id);
        }
    }

    private async Task<List<Sample>> PollMeterAsync(PolledMeter meter, IReadOnlyList<ReadBlock> blocks, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var samples = await ReadMeterAsync(meter, blocks, cancellationToken).ConfigureAwait(false);
        if (!cancellationToken.IsCancellationRequested)
        {
            _options.Observer?.Invoke(_gateway.Id, _time.GetElapsedTime(started), samples.Count > 0 && samples.All(s => (s.Quality & Core.Domain.ReadingQuality.Missing) == 0));
        }

        return samples;
    }

    private async Task<List<Sample>> ReadMeterAsync(PolledMeter meter, IReadOnlyList<ReadBlock> blocks, CancellationToken cancellationToken)
    {
        var requestTime = _time.GetUtcNow();
        var device = _devices[meter.Source.UnitId];
        try
        {
            return await device.ExecuteAsync(
                async ct => await _connection.ExecuteAsync(
                    async inner => await _reader.ReadAsync(_client, meter, blocks, requestTime, inner).ConfigureAwait(false), ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        catch (BrokenCircuitException)
        {
            return MeterReader.Missing(meter, blocks, requestTime);
        }
        catch (Exception e) when (e is ModbusTimeoutException or ModbusProtocolException or ModbusCommunicationException or OperationCanceledException)
        {
            _logger.LogWarning("Meter {Meter} (unit {Unit} at {Endpoint}): {Error}", meter.Meter.Id, meter.Source.UnitId, _client.Endpoint, e.Message);
            return MeterReader.Missing(meter, blocks, requestTime);
        }
    }

    /// <remarks>
    /// Polly's breaker judges a failure ratio over a rolling window. A window of the device's last
    /// <see cref="PollerOptions.DeviceFailuresToPark"/> poll intervals, all failed, is what "stopped answering"
    /// means here; an earlier good hour no longer dilutes the ratio.
    /// </remarks>
    private ResiliencePipeline DeviceBreaker(byte unit, TimeSpan shortestInterval) =>
        new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = _options.DeviceFailuresToPark,
                SamplingDuration = TimeSpan.FromTicks(Math.Clamp((shortestInterval * _options.DeviceFailuresToPark).Ticks + TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond, TimeSpan.TicksPerDay)),
                BreakDuration = _options.DeviceProbeInterval,
                ShouldHandle = new PredicateBuilder().Handle<ModbusTimeoutException>(),
                OnOpened = a =>
                {
                    _logger.LogWarning("Unit {Unit} at {Endpoint} does not answer; parked, next probe in {Interval}", unit, _client.Endpoint, a.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _logger.LogInformation("Unit {Unit} at {Endpoint} answers again", unit, _client.Endpoint);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private sealed record Job(PolledMeter Meter, bool Fast, TimeSpan Interval, DateTimeOffset FirstDue)
    {
        public DateTimeOffset Due { get; set; } = FirstDue;
    }
}
