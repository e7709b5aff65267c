using System.Diagnostics;
using System.Globalization;
using System.Text;
using EnergyMonitor.Acquisition.Mqtt;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EnergyMonitor.Bench;

/// <summary>
/// Ingest from a real broker into the embedded store, against a bare MQTTnet subscriber that only counts.
/// Both sessions are subscribed, then the stream is published once while both are offline, so that each
/// drains the same queued stream as fast as it can; then latency publish→durable at a paced rate.
/// </summary>
internal static class MqttIngestBench
{
    private const int Meters = 1000;

    public static async Task RunAsync(int port, int messages, int readingsPerMessage, int pacedRate, double pacedSeconds)
    {
        var site = BenchSite.Create(Meters, buildings: 1);
        var dir = Directory.CreateTempSubdirectory("em-mqtt-bench-").FullName;
        try
        {
            var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(dir, "bench.db") }, CancellationToken.None);
            var store = new SqliteReadingStore(database);
            var latency = new LatencySink(new StoreSampleSink(new SampleNormalizer(site), store), TimeProvider.System);
            Console.WriteLine($"broker 127.0.0.1:{port}; {messages:N0} messages × {readingsPerMessage} readings = {messages * readingsPerMessage:N0} readings; {Meters} meters; embedded store, synchronous=FULL");

            // Both sessions exist before the stream starts, so the broker queues it for each.
            await using (var bare = await BareAsync(port, null))
            {
            }

            var ingestor = Ingestor(port, site, latency, database);
            using (var warm = new CancellationTokenSource())
            {
                var run = ingestor.RunAsync(warm.Token);
                while (!ingestor.IsReady)
                {
                    await Task.Delay(20);
                }

                await warm.CancelAsync();
                await run;
                await ingestor.DisposeAsync();
            }

            // Counters carry on from one stream to the next: each meter's counter only goes up, as a real one does.
            var counters = new long[Meters];
            var published = Stopwatch.StartNew();
            await PublishAsync(port, messages, readingsPerMessage, ratePerSecond: 0, counters, CancellationToken.None);
            Console.WriteLine($"published in {published.Elapsed.TotalSeconds:F1} s ({messages / published.Elapsed.TotalSeconds:N0} messages/s)");

            // Bare subscriber: counts messages, acknowledges automatically.
            var received = 0L;
            var bareClock = new Stopwatch();
            var done = new TaskCompletionSource();
            await using (var bare = await BareAsync(port, () =>
            {
                if (Interlocked.Increment(ref received) == 1)
                {
                    bareClock.Start();
                }

                if (Interlocked.Read(ref received) == messages)
                {
                    bareClock.Stop();
                    done.TrySetResult();
                }
            }))
            {
                await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            }

            var bareRate = messages * (double)readingsPerMessage / bareClock.Elapsed.TotalSeconds;
            Console.WriteLine($"bare MQTTnet subscriber: {bareClock.Elapsed.TotalSeconds:F2} s, {bareRate:N0} readings/s ({messages / bareClock.Elapsed.TotalSeconds:N0} messages/s)");

            // The ingestor: parse, map, normalise, commit to SQLite, acknowledge.
            var ours = Ingestor(port, site, latency, database);
            var expected = (long)messages * readingsPerMessage;
            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var running = ours.RunAsync(stop.Token);
            var firstAt = TimeSpan.Zero;
            var last = (Stored: -1L, At: TimeSpan.Zero);
            while (ours.Stored < expected)
            {
                if (ours.Stored != last.Stored)
                {
                    last = (ours.Stored, clock.Elapsed);
                }
                else if (clock.Elapsed - last.At > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"stalled at {ours.Stored:N0} of {expected:N0} readings; quarantined: {string.Join(", ", ours.Quarantined.Select(q => $"{q.Key} {q.Value}"))}");
                }

                if (firstAt == TimeSpan.Zero && ours.Stored > 0)
                {
                    firstAt = clock.Elapsed;
                }

                await Task.Delay(5);
            }

            var elapsed = clock.Elapsed - firstAt;
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var rate = expected / elapsed.TotalSeconds;
            Console.WriteLine($"EnergyMonitor ingestor:  {elapsed.TotalSeconds:F2} s, {rate:N0} readings/s, CPU {cpuUsed.TotalSeconds:F1} s, {ours.Quarantined.Values.Sum()} quarantined");
            Console.WriteLine($"ratio ingestor / bare subscriber: {rate / bareRate:F2}");

            // Latency at a paced rate, one reading per message, measured publish → committed.
            latency.Reset();
            var pacedMessages = (int)(pacedRate * pacedSeconds);
            var before = ours.Stored;
            await PublishAsync(port, pacedMessages, 1, pacedRate, counters, CancellationToken.None);
            while (ours.Stored < before + pacedMessages)
            {
                await Task.Delay(5);
            }

            var (p50, p99, max) = latency.Percentiles();
            Console.WriteLine($"paced {pacedRate:N0} readings/s for {pacedSeconds} s: publish→durable p50 {p50:F1} ms, p99 {p99:F1} ms, max {max:F1} ms");
            await stop.CancelAsync();
            await running;
            await ours.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static MqttIngestor Ingestor(int port, SiteModel site, ISampleSink sink, SqliteDatabase database)
    {
        _ = TopicPattern.TryParse("bench/{meter}", out var single, out _);
        _ = TopicPattern.TryParse("batch/{gateway}", out var batch, out _);
        var mapper = new MessageMapper(site,
        [
            new MqttMapping(single!, "{meter}", new PayloadSpec("v", "t")),
            new MqttMapping(batch!, "{meter}", new PayloadSpec("v", "t", "$.r", "id")),
        ], PayloadLimits.Default);
        var options = new MqttBrokerOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ClientId = "em-bench",
            ReceiveMaximum = ushort.Parse(Environment.GetEnvironmentVariable("EM_RECEIVE_MAXIMUM") ?? "10000", CultureInfo.InvariantCulture),
        };
        return new MqttIngestor(options, mapper, sink, new QuarantineStore(database), TimeProvider.System, NullLogger.Instance);
    }

    private static async Task<IAsyncDisposable> BareAsync(int port, Action? onMessage)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        if (onMessage is not null)
        {
            client.ApplicationMessageReceivedAsync += _ =>
            {
                onMessage();
                return Task.CompletedTask;
            };
        }

        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bare-bench")
            .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanStart(false).WithSessionExpiryInterval(3600).WithReceiveMaximum(2000).Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("bench/+", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("batch/+", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return new Disconnecting(client);
    }

    /// <summary>
    /// Publishes from 4 connections with up to 256 QoS 1 publishes in flight each; ratePerSecond 0 = flat out.
    /// Each connection owns a quarter of the meters, so every meter's counter reaches the broker in order.
    /// </summary>
    private static async Task PublishAsync(int port, int messages, int readingsPerMessage, int ratePerSecond, long[] counters, CancellationToken cancellationToken)
    {
        const int Publishers = 4;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Publishers), cancellationToken, async (p, ct) =>
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId($"pub-{p}").WithProtocolVersion(MqttProtocolVersion.V500).Build(), ct);
            var inFlight = new List<Task>(256);
            for (long i = p, j = 0; i < messages; i += Publishers, j++)
            {
                if (ratePerSecond > 0)
                {
                    var due = TimeSpan.FromSeconds(i / (double)ratePerSecond);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed, ct);
                    }
                }

                var (topic, payload) = Message(p, Publishers, j, readingsPerMessage, counters);
                inFlight.Add(client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct));
                if (inFlight.Count == 256 || ratePerSecond > 0)
                {
                    await Task.WhenAll(inFlight);
                    inFlight.Clear();
                }
            }

            await Task.WhenAll(inFlight);
            await client.DisconnectAsync(cancellationToken: ct);
        });
    }

    private static (string Topic, byte[] Payload) Message(int publisher, int publishers, long j, int readingsPerMessage, long[] counters)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int MeterOf(long k) => (int)((k * publishers + publisher) % Meters);
        if (readingsPerMessage == 1)
        {
            var meter = MeterOf(j);
            return ($"bench/m{meter:D4}", Encoding.UTF8.GetBytes($$"""{"v": {{++counters[meter]}}, "t": {{now}}}"""));
        }

        var text = new StringBuilder("{\"r\": [");
        for (var k = 0; k < readingsPerMessage; k++)
        {
            var meter = MeterOf((j * readingsPerMessage) + k);
            text.Append(CultureInfo.InvariantCulture, $$"""{{(k > 0 ? "," : "")}}{"id": "m{{meter:D4}}", "v": {{++counters[meter]}}, "t": {{now}}}""");
        }

        return ($"batch/gw{publisher}", Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
    }

    private sealed class Disconnecting(IMqttClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
    }

    /// <summary>Measures, per reading, the time from its payload timestamp (set at publish) to the store's commit.</summary>
    private sealed class LatencySink(ISampleSink inner, TimeProvider time) : ISampleSink
    {
        private readonly List<double> _milliseconds = [];

        public void Reset()
        {
            lock (_milliseconds)
            {
                _milliseconds.Clear();
            }
        }

        public (double P50, double P99, double Max) Percentiles()
        {
            lock (_milliseconds)
            {
                var sorted = _milliseconds.Order().ToArray();
                return (sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted[^1]);
            }
        }

        public async ValueTask AcceptAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken)
        {
            await inner.AcceptAsync(samples, cancellationToken);
            var now = time.GetUtcNow();
            lock (_milliseconds)
            {
                foreach (var s in samples)
                {
                    _milliseconds.Add((now - s.Timestamp).TotalMilliseconds);
                }
            }
        }
    }
}
