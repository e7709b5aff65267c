using System.Buffers;
using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Logging;
using MQTTnet;
using Polly;
using Polly.Retry;

namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>
/// Subscribes to one broker with a persistent session and QoS 1, maps each message to samples, and acknowledges
/// it only once the sink has made them durable (or the quarantine has kept it). A collector killed mid-stream
/// therefore gets the unacknowledged messages again, and idempotent writes keep the duplicates out.
/// </summary>
/// <remarks>
/// This class owns the connection (with Polly's back-off for reconnecting) and hands mapped messages to the
/// <see cref="AcknowledgementBatcher"/>, which stores them in batches and acknowledges them in order.
/// </remarks>
public sealed class MqttIngestor : IAsyncDisposable
{
    private readonly MqttBrokerOptions _options;
    private readonly MessageMapper _mapper;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly AcknowledgementBatcher _batcher;
    private readonly ResiliencePipeline _reconnect;
    private long _messages;
    private long _lastMessageTicks;
    private bool _subscribed;

    // Packet ids are per connection: an acknowledgement meant for a message of a dropped connection must
    // never reach the next one, where the same id may name another message.
    private int _connection;

    /// <summary>
    /// What is subscribed: the mappings' filters, each inside the shared group when there is one. Messages still arrive
    /// on their own topics, so the mapper reads them unchanged.
    /// </summary>
    public IReadOnlyList<string> Filters { get; }

    public MqttIngestor(MqttBrokerOptions options, MessageMapper mapper, ISampleSink sink, IQuarantine quarantine, TimeProvider time, ILogger logger)
    {
        Filters = options.SharedGroup.Length == 0 ? mapper.Filters : [.. mapper.Filters.Select(f => $"$share/{options.SharedGroup}/{f}")];
        _options = options;
        _mapper = mapper;
        _time = time;
        _logger = logger;
        _batcher = new AcknowledgementBatcher(options.Name, sink, quarantine, time, logger);
        _reconnect = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = options.ReconnectMaxDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                OnRetry = a =>
                {
                    LastError = a.Outcome.Exception?.Message;
                    _logger.LogWarning("MQTT broker {Broker} at {Host}:{Port}: {Error}; retrying in {Delay}", _options.Name, _options.Host, _options.Port, LastError, a.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
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
    public long Stored => _batcher.Stored;

    /// <summary>Messages received, good or bad.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>When the last message arrived, or null before the first.</summary>
    public DateTimeOffset? LastMessageAt => Interlocked.Read(ref _lastMessageTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The last connection error, cleared once connected.</summary>
    public string? LastError { get; private set; }

    public IReadOnlyDictionary<QuarantineReason, long> Quarantined => _batcher.Quarantined;

    /// <summary>Connects, subscribes, stores what arrives, and reconnects with back-off until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task StartWriter() => Task.Run(() => _batcher.RunAsync(() => Volatile.Read(ref _connection), DropConnectionAsync, () => _client.IsConnected, cancellationToken), CancellationToken.None);
        var writer = StartWriter();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (writer.IsCompleted)
                {
                    // The writer is what acknowledges: without it the broker stops sending after Receive Maximum messages.
                    _logger.LogError(writer.Exception?.GetBaseException(), "MQTT broker {Broker}: the store-and-acknowledge loop ended; restarting it", _options.Name);
                    writer = StartWriter();
                }

                if (!_client.IsConnected)
                {
                    await _reconnect.ExecuteAsync(async ct => await ConnectAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                    LastError = null;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        _batcher.Complete();
        await writer.ConfigureAwait(false);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _batcher.Complete();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Drops the connection without acknowledging, so that the broker redelivers on the next one.</summary>
    private async Task DropConnectionAsync()
    {
        Interlocked.Increment(ref _connection);
        await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = MqttConnection.Options(_options, _options.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum(_options.ReceiveMaximum);

        Volatile.Write(ref _subscribed, false);
        Interlocked.Increment(ref _connection);
        var result = await _client.ConnectAsync(MqttConnection.Build(builder), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            // MQTT 5 brokers answer a refused CONNECT with a reason code rather than closing the socket.
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}".TrimEnd());
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in Filters)
        {
            subscribe = subscribe.WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS());
        }

        await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _subscribed, true);
        _logger.LogInformation("MQTT broker {Broker} connected and subscribed to {Filters} (session present: {Session})",
            _options.Name, string.Join(", ", Filters), result.IsSessionPresent);
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

        _batcher.Add(new AcknowledgementBatcher.Pending(e, Volatile.Read(ref _connection), message.Topic, payload, result, arrival));
        return Task.CompletedTask;
    }
}
