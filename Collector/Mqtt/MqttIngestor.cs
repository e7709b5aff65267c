using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace EnergyMonitor.Collector.Mqtt;

/// <summary>
/// Subscribes to one broker with a persistent session and QoS 1, maps each message to samples, and acknowledges
/// it only once the sink has made them durable (or the quarantine has kept it). A collector killed mid-stream
/// therefore gets the unacknowledged messages again, and idempotent writes keep the duplicates out.
/// </summary>
public sealed class MqttIngestor : IAsyncDisposable
{
    private readonly MqttBrokerOptions _options;
    private readonly MessageMapper _mapper;
    private readonly ISampleSink _sink;
    private readonly QuarantineStore _quarantine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<QuarantineReason, long> _quarantined = new();
    private long _stored;
    private long _lastWarningTicks;
    private bool _subscribed;

    public MqttIngestor(MqttBrokerOptions options, MessageMapper mapper, ISampleSink sink, QuarantineStore quarantine, TimeProvider time, ILogger logger)
    {
        _options = options;
        _mapper = mapper;
        _sink = sink;
        _quarantine = quarantine;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connected and subscribed to every filter: from now on nothing published is missed.</summary>
    public bool IsReady => _client.IsConnected && Volatile.Read(ref _subscribed);

    public long Stored => Interlocked.Read(ref _stored);

    public IReadOnlyDictionary<QuarantineReason, long> Quarantined => _quarantined;

    /// <summary>Connects, subscribes, and reconnects with back-off until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(500);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _logger.LogWarning("MQTT broker {Broker} at {Host}:{Port}: {Error}; retrying in {Delay}", _options.Name, _options.Host, _options.Port, e.Message, delay);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
                }
            }

            try
            {
                await Task.Delay(_client.IsConnected ? TimeSpan.FromSeconds(1) : delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_options.Username.Length > 0)
        {
            builder = builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(_options.Host);
                if (_options.CaFile is { } ca)
                {
                    // A PEM bundle of one or more CA certificates: the site's own CA, not the machine's store.
                    var trust = new X509Certificate2Collection();
                    trust.ImportFromPemFile(ca);
                    tls.WithTrustChain(trust);
                }
            });
        }

        Volatile.Write(ref _subscribed, false);
        var result = await _client.ConnectAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            // MQTT 5 brokers answer a refused CONNECT with a reason code rather than closing the socket.
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd());
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in _mapper.Filters)
        {
            subscribe = subscribe.WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS());
        }

        await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _subscribed, true);
        _logger.LogInformation("MQTT broker {Broker} connected and subscribed to {Filters} (session present: {Session})",
            _options.Name, string.Join(", ", _mapper.Filters), result.IsSessionPresent);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        var message = e.ApplicationMessage;
        var arrival = _time.GetUtcNow();
        var payload = message.Payload.ToArray();
        var result = _mapper.Map(message.Topic, payload, arrival);
        try
        {
            if (result.Reason is { } reason)
            {
                await _quarantine.AddAsync(_options.Name, message.Topic, payload, reason.ToString(), result.Detail, arrival, CancellationToken.None).ConfigureAwait(false);
                _quarantined.AddOrUpdate(reason, 1, (_, n) => n + 1);
                WarnRateLimited(message.Topic, reason, result.Detail);
            }
            else
            {
                await _sink.AcceptAsync(result.Samples, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _stored, result.Samples.Count);
            }

            // Only now is the message safe: durable as readings or as a quarantine row.
            await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not acknowledged. A broker redelivers only on a new connection, so drop this one: the run loop
            // reconnects with back-off and the message comes again, after the store has had time to recover.
            _logger.LogError(ex, "MQTT message on {Topic} could not be stored; reconnecting so that the broker redelivers it", message.Topic);
            _ = _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    private void WarnRateLimited(string topic, QuarantineReason reason, string detail)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarningTicks);
        if (last != 0 && _time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(10))
        {
            return;
        }

        Interlocked.Exchange(ref _lastWarningTicks, now);
        _logger.LogWarning("MQTT message on {Topic} quarantined: {Reason}: {Detail} (counts so far: {Counts})",
            topic, reason, detail, string.Join(", ", _quarantined.Select(q => $"{q.Key} {q.Value}")));
    }
}
