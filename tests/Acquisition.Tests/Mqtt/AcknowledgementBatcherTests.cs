using System.Collections.Concurrent;
using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Units;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Packets;

namespace EnergyMonitor.Acquisition.Tests.Mqtt;

/// <summary>
/// The loop that stores MQTT messages and acknowledges them is the only one that acknowledges: if it died, the
/// broker would stop sending after Receive Maximum unacknowledged messages and ingest would stall for good (the
/// whole-service benchmark caught this after eight minutes at 500 messages/s).
/// </summary>
public sealed class AcknowledgementBatcherTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_acknowledgement_failing_on_a_live_connection_drops_it_and_later_messages_are_still_stored_and_acknowledged()
    {
        var sink = new RecordingSink();
        var batcher = new AcknowledgementBatcher("test", sink, new NoQuarantine(), TimeProvider.System, NullLogger.Instance);
        var connection = 1;
        var drops = 0;
        var acknowledged = new ConcurrentBag<int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = batcher.RunAsync(() => Volatile.Read(ref connection), () =>
        {
            Interlocked.Increment(ref drops);
            Interlocked.Increment(ref connection); // what dropping does: messages of the old connection are not acknowledged
            return Task.CompletedTask;
        }, () => true, stop.Token);

        // Message 1's PUBACK cannot be sent though the client still says it is connected (a send timed out).
        batcher.Add(Message(1, Volatile.Read(ref connection), _ => throw new InvalidOperationException("send timed out")));
        await Eventually(() => drops == 1);

        // Redelivered on the new connection with the next ones: stored and acknowledged.
        foreach (var n in new[] { 1, 2, 3 })
        {
            batcher.Add(Message(n, Volatile.Read(ref connection), n => { acknowledged.Add(n); return Task.CompletedTask; }));
        }

        await Eventually(() => acknowledged.Count == 3);
        Assert.Equal([1, 2, 3], acknowledged.Order());
        Assert.Equal(1, drops);
        Assert.Equal(4, sink.Samples.Count); // message 1 twice, idempotent in the store
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_batch_the_store_refuses_is_not_acknowledged_and_comes_again_on_a_new_connection()
    {
        var sink = new RecordingSink { FailNext = () => new IOException("disk full") };
        var batcher = new AcknowledgementBatcher("test", sink, new NoQuarantine(), TimeProvider.System, NullLogger.Instance);
        var connection = 1;
        var acknowledged = new ConcurrentBag<int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = batcher.RunAsync(() => Volatile.Read(ref connection), () => { Interlocked.Increment(ref connection); return Task.CompletedTask; }, () => true, stop.Token);

        batcher.Add(Message(1, Volatile.Read(ref connection), n => { acknowledged.Add(n); return Task.CompletedTask; }));
        await Eventually(() => Volatile.Read(ref connection) == 2);
        batcher.Add(Message(1, Volatile.Read(ref connection), n => { acknowledged.Add(n); return Task.CompletedTask; }));

        await Eventually(() => acknowledged.Count == 1);
        Assert.Single(sink.Samples);
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await run;
    }

    private static AcknowledgementBatcher.Pending Message(int n, int connection, Func<int, Task> acknowledge)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic("t/w").WithPayload($"{{\"v\": {n}}}").Build();
        var args = new MqttApplicationMessageReceivedEventArgs("em", message, new MqttPublishPacket { PacketIdentifier = (ushort)n }, (_, _) => acknowledge(n))
        {
            AutoAcknowledge = false,
        };
        var sample = new Sample(new MeterId("w"), null, T.AddMinutes(n), n, UnitCatalog.CubicMetre, ReadingQuality.Good);
        return new AcknowledgementBatcher.Pending(args, connection, "t/w", [], new MapResult([sample], null, ""), T);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, Ct);
        }

        Assert.True(condition());
    }

    private sealed class RecordingSink : ISampleSink
    {
        public ConcurrentQueue<Sample> Samples { get; } = new();

        public Func<Exception>? FailNext { get; set; }

        public ValueTask AcceptAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken)
        {
            if (FailNext?.Invoke() is { } failure)
            {
                FailNext = null;
                throw failure;
            }

            foreach (var sample in samples)
            {
                Samples.Enqueue(sample);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoQuarantine : IQuarantine
    {
        public Task AddAsync(IReadOnlyCollection<QuarantineEntry> entries, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<QuarantinedMessage>> ListAsync(CancellationToken cancellationToken, QuarantineReason? reason = null) => Task.FromResult<IReadOnlyList<QuarantinedMessage>>([]);

        public Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task UpdateReasonAsync(long id, QuarantineReason reason, string detail, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
