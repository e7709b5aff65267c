using System.Collections.Concurrent;
using System.Threading.Channels;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace EnergyMonitor.Acquisition.Mqtt;

/// <summary>
/// Stores mapped messages in batches and acknowledges each only once it is durable, as a reading or in the
/// quarantine: whatever arrived while the previous batch was being committed goes into the next one, so one commit
/// carries many messages under load and one when idle. Acknowledgements go out in arrival order, as MQTT requires
/// for QoS 1, and never on a connection other than the one the message came on.
/// </summary>
internal sealed class AcknowledgementBatcher(string broker, ISampleSink sink, IQuarantine quarantine, TimeProvider time, ILogger logger)
{
    private const int MaxBatchMessages = 5000;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<QuarantineReason, long> _quarantined = new();
    private long _stored;
    private long _lastWarningTicks;

    /// <summary>A message as received, with the connection it came on and what the mapper made of it.</summary>
    public sealed record Pending(MqttApplicationMessageReceivedEventArgs Message, int Connection, string Topic, byte[] Payload, MapResult Result, DateTimeOffset Arrival);

    public long Stored => Interlocked.Read(ref _stored);

    public IReadOnlyDictionary<QuarantineReason, long> Quarantined => _quarantined;

    public void Add(Pending message) => _pending.Writer.TryWrite(message);

    public void Complete() => _pending.Writer.TryComplete();

    /// <summary>Stores and acknowledges until <see cref="Complete"/> or cancellation.</summary>
    /// <param name="connection">The current connection's number; a message of an older one is left to be redelivered.</param>
    /// <param name="dropConnection">Called when a batch cannot be stored: only a new connection makes the broker redeliver it.</param>
    public async Task RunAsync(Func<int> connection, Func<Task> dropConnection, Func<bool> isConnected, CancellationToken cancellationToken)
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
                if (item.Connection != connection())
                {
                    continue; // the broker redelivers it on the new connection
                }

                batch.Add(item);
                if (item.Result.Reason is { } reason)
                {
                    bad.Add(new QuarantineEntry(broker, item.Topic, item.Payload, reason, item.Result.Detail, item.Arrival));
                }
                else
                {
                    samples.AddRange(item.Result.Samples);
                }
            }

            if (batch.Count > 0)
            {
                try
                {
                    await StoreAndAcknowledgeAsync(batch, samples, bad, connection, dropConnection, isConnected).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // This loop is the only one that acknowledges: if it ended, the broker would stop sending once
                    // Receive Maximum messages were unacknowledged, and ingest would stall for good. What was not
                    // acknowledged comes again on a new connection and is written again, idempotently.
                    logger.LogError(ex, "MQTT broker {Broker}: a batch of {Count} messages failed; reconnecting so that the broker redelivers what was not acknowledged", broker, batch.Count);
                    await DropQuietlyAsync(dropConnection).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task DropQuietlyAsync(Func<Task> dropConnection)
    {
        try
        {
            await dropConnection().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "MQTT broker {Broker}: dropping the connection failed; the run loop reconnects when it sees it gone", broker);
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

    private async Task StoreAndAcknowledgeAsync(List<Pending> batch, List<Sample> samples, List<QuarantineEntry> bad, Func<int> connection, Func<Task> dropConnection, Func<bool> isConnected)
    {
        try
        {
            // Not cancellable: a batch the broker has handed over is stored whole or not at all before shutdown.
            if (samples.Count > 0)
            {
                await sink.AcceptAsync(samples, CancellationToken.None).ConfigureAwait(false);
            }

            if (bad.Count > 0)
            {
                await quarantine.AddAsync(bad, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Nothing acknowledged. A broker redelivers only on a new connection, so drop this one: the run loop
            // reconnects with back-off, and the messages come again once the store has had time to recover.
            logger.LogError(ex, "MQTT broker {Broker}: {Count} messages could not be stored; reconnecting so that the broker redelivers them", broker, batch.Count);
            await DropQuietlyAsync(dropConnection).ConfigureAwait(false);
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
            if (item.Connection != connection())
            {
                break;
            }

            try
            {
                await item.Message.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The rest come again and are written again, idempotently. A PUBACK that failed on a connection
                // that still looks up (a send timed out under load, say) leaves the broker counting it as in
                // flight forever: only a new connection clears that, so drop this one.
                if (isConnected())
                {
                    logger.LogWarning(ex, "MQTT broker {Broker}: an acknowledgement failed on a live connection; reconnecting", broker);
                    await DropQuietlyAsync(dropConnection).ConfigureAwait(false);
                }
                else
                {
                    logger.LogDebug(ex, "MQTT broker {Broker}: acknowledgement lost with the connection", broker);
                }

                break;
            }
        }
    }

    private void WarnRateLimited(QuarantineEntry last)
    {
        var now = time.GetTimestamp();
        var previous = Interlocked.Read(ref _lastWarningTicks);
        if (previous != 0 && time.GetElapsedTime(previous, now) < TimeSpan.FromSeconds(10))
        {
            return;
        }

        Interlocked.Exchange(ref _lastWarningTicks, now);
        logger.LogWarning("MQTT message on {Topic} quarantined: {Reason}: {Detail} (counts so far: {Counts})",
            last.Topic, last.Reason, last.Detail, string.Join(", ", _quarantined.Select(q => $"{q.Key} {q.Value}")));
    }
}
