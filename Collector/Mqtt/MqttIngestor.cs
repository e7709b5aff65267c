using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace EnergyMonitor.Collector.Mqtt;

/// <summary>
/// Subscribes to one broker with a persistent session and QoS 1, maps each message to samples, and acknowledges
/// it only once the sink has made them durable (or the quarantine has kept it). A collector killed mid-stream
/// therefore gets the unacknowledged messages again, and idempotent writes keep the duplicates out.
/// </summary>
/// <remarks>
/// Messages are stored in batches: whatever arrived while the previous batch was being committed goes into
/// the next one, so one commit carries many messages under load and one message when idle. Acknowledgements
/// then go out in arrival order, which MQTT requires for QoS 1.
/// </remarks>
public sealed class MqttIngestor : IAsyncDisposable
{
    private const int MaxBatchMessages = 5000;

    private readonly MqttBrokerOptions _options;
    private readonly MessageMapper _mapper;
    private readonly ISampleSink _sink;
    private readonly IQuarantine _quarantine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<QuarantineReason, long> _quarantined = new();
    private long _stored;
    private long _messages;
    private long _lastWarningTicks;
    private long _lastMessageTicks;
    private bool _subscribed;

    // Packet ids are per connection: an acknowledgement meant for a message of a dropped connection must
    // never reach the next one, where the same id may name another message.
    private int _connection;

    public MqttIngestor(MqttBrokerOptions options, MessageMapper mapper, ISampleSink sink, IQuarantine quarantine, TimeProvider time, ILogger logger)
    {
        _options = options;
        _mapper = mapper;
        _sink = sink;
        _quarantine = quarantine;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public string Name => _options.Name;

    public string Endpoint => $"{_options.Host}:{_options.Port}";

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connected and subscribed to every filter: from now on nothing published is missed.</summary>
    public bool IsReady => _client.IsConnected && Volatile.Read(ref _subscribed);

    /// <summary>Readings handed to the sink and acknowledged.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Messages received, good or bad.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>When the last message arrived, or null before the first.</summary>
    public DateTimeOffset? LastMessageAt => Interlocked.Read(ref _lastMessageTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The last connection error, cleared once connected.</summary>
    public string? LastError { get; private set; }

    public IReadOnlyDictionary<QuarantineReason, long> Quarantined => _quarantined;

    /// <summary>Connects, subscribes, stores what arrives, and reconnects with back-off until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var writer = Task.Run(() => WriteLoopAsync(cancellationToken), CancellationToken.None);
        var delay = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(500);
                    LastError = null;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LastError = e.Message;
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

        _pending.Writer.TryComplete();
        await writer.ConfigureAwait(false);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
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
            .WithReceiveMaximum(_options.ReceiveMaximum)
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
        Interlocked.Increment(ref _connection);
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

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        // From now on nothing received on the old connection is acknowledged, even if a reconnect is quick.
        Interlocked.Increment(ref _connection);
        Volatile.Write(ref _subscribed, false);
        if (e.ClientWasConnected)
        {
            _logger.LogWarning("MQTT broker {Broker} disconnected: {Reason}; unacknowledged messages will be redelivered on reconnect", _options.Name, e.Exception?.Message ?? e.Reason.ToString());
        }

        return Task.CompletedTask;
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Acknowledged by the write loop once durable; returning lets the client hand over the next message.
        e.AutoAcknowledge = false;
        var arrival = _time.GetUtcNow();
        Interlocked.Increment(ref _messages);
        Interlocked.Exchange(ref _lastMessageTicks, arrival.UtcTicks);
        var message = e.ApplicationMessage;
        var payload = message.Payload.ToArray();
        MapResult result;
        try
        {
            result = _mapper.Map(message.Topic, payload, arrival);
        }
        catch (Exception ex)
        {
            // Whatever a payload does to the mapper, the message is kept and the service goes on.
            _logger.LogError(ex, "MQTT message on {Topic}: the mapper failed; quarantined", message.Topic);
            result = MapResult.Quarantine(QuarantineReason.MapperFault, ex.GetType().Name + ": " + ex.Message);
        }

        _pending.Writer.TryWrite(new Pending(e, Volatile.Read(ref _connection), message.Topic, payload, result, arrival));
        return Task.CompletedTask;
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Pending>(MaxBatchMessages);
        var samples = new List<Sample>();
        var bad = new List<QuarantineEntry>();
        while (await WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Clear();
            samples.Clear();
            bad.Clear();
            while (batch.Count < MaxBatchMessages && _pending.Reader.TryRead(out var item))
            {
                if (item.Connection != Volatile.Read(ref _connection))
                {
                    continue; // the broker redelivers it on the new connection
                }

                batch.Add(item);
                if (item.Result.Reason is { } reason)
                {
                    bad.Add(new QuarantineEntry(_options.Name, item.Topic, item.Payload, reason.ToString(), item.Result.Detail, item.Arrival));
                }
                else
                {
                    samples.AddRange(item.Result.Samples);
                }
            }

            if (batch.Count > 0)
            {
                await StoreAndAcknowledgeAsync(batch, samples, bad).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _pending.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StoreAndAcknowledgeAsync(List<Pending> batch, List<Sample> samples, List<QuarantineEntry> bad)
    {
        try
        {
            // Not cancellable: a batch the broker has handed over is stored whole or not at all before shutdown.
            if (samples.Count > 0)
            {
                await _sink.AcceptAsync(samples, CancellationToken.None).ConfigureAwait(false);
            }

            if (bad.Count > 0)
            {
                await _quarantine.AddAsync(bad, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Nothing acknowledged. A broker redelivers only on a new connection, so drop this one: the run loop
            // reconnects with back-off, and the messages come again once the store has had time to recover.
            _logger.LogError(ex, "MQTT broker {Broker}: {Count} messages could not be stored; reconnecting so that the broker redelivers them", _options.Name, batch.Count);
            Interlocked.Increment(ref _connection);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        // Durable as readings or as quarantine rows: only now may the broker forget them.
        Interlocked.Add(ref _stored, samples.Count);
        foreach (var item in batch)
        {
            if (item.Result.Reason is { } reason)
            {
                _quarantined.AddOrUpdate(reason, 1, (_, n) => n + 1);
            }
        }

        if (bad.Count > 0)
        {
            WarnRateLimited(bad[^1]);
        }

        foreach (var item in batch)
        {
            if (item.Connection != Volatile.Read(ref _connection))
            {
                break;
            }

            try
            {
                await item.Message.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_client.IsConnected)
            {
                // The connection went while acknowledging: the rest come again and are written again, idempotently.
                _logger.LogDebug(ex, "MQTT broker {Broker}: acknowledgement lost with the connection", _options.Name);
                break;
            }
        }
    }

    private void WarnRateLimited(QuarantineEntry last)
    {
        var now = _time.GetTimestamp();
        var previous = Interlocked.Read(ref _lastWarningTicks);
        if (previous != 0 && _time.GetElapsedTime(previous, now) < TimeSpan.FromSeconds(10))
        {
            return;
        }

        Interlocked.Exchange(ref _lastWarningTicks, now);
        _logger.LogWarning("MQTT message on {Topic} quarantined: {Reason}: {Detail} (counts so far: {Counts})",
            last.Topic, last.Reason, last.Detail, string.Join(", ", _quarantined.Select(q => $"{q.Key} {q.Value}")));
    }

    private sealed record Pending(MqttApplicationMessageReceivedEventArgs Message, int Connection, string Topic, byte[] Payload, MapResult Result, DateTimeOffset Arrival);
}
