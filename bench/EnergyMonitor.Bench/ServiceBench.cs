using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EnergyMonitor.Storage.Influx;
using MQTTnet;
using MQTTnet.Protocol;

namespace EnergyMonitor.Bench;

/// <summary>
/// The whole service under a county's load and more: `energymonitor run` as a child process on a generated site of
/// 1,000 Modbus electricity meters (50 simulated gateways × 20 units, power read every minute, the counter every
/// five) and 1,000 MQTT water meters publishing a steady stream, stored in real InfluxDB behind the outbox, with the
/// rollup and anomaly jobs on their schedules. Measured from outside: the service's CPU and RSS from the kernel,
/// everything else from its own /metrics.
/// </summary>
internal static class ServiceBench
{
    private const int Gateways = 50;
    private const int UnitsPerGateway = 20;
    private const int MqttMeters = 1000;

    public static async Task RunAsync(Uri influx, int brokerPort, double minutes, int readingsPerSecond, int readingsPerMessage)
    {
        var dir = Directory.CreateTempSubdirectory("em-service-bench-").FullName;
        var self = Path.GetDirectoryName(typeof(ServiceBench).Assembly.Location)!;
        var energymonitor = Path.Combine(self, "energymonitor.dll");
        var processes = new List<Process>();
        try
        {
            var config = BenchProcesses.FindConfig();
            File.Copy(Path.Combine(config, "holidays-cn.csv"), Path.Combine(dir, "holidays-cn.csv"));
            Directory.CreateDirectory(Path.Combine(dir, "templates"));
            File.Copy(Path.Combine(config, "templates", "chint-dtsu666.yaml"), Path.Combine(dir, "templates", "chint-dtsu666.yaml"));
            await File.WriteAllTextAsync(Path.Combine(dir, "site.yaml"), SiteYaml(readingsPerMessage == 1));
            var port = BenchProcesses.FreePort();
            var database = "bench_" + Guid.NewGuid().ToString("N")[..8];
            var settings = Path.Combine(dir, "bench.json");
            var mapping = readingsPerMessage == 1 ? "" :
                """, "Mappings": [ { "Topic": "bench/gw/{gateway}/batch", "Items": "$.readings", "ItemMeter": "id", "Value": "v", "Timestamp": "t" } ]""";
            await File.WriteAllTextAsync(settings, $$"""
                { "EnergyMonitor": { "SiteFile": "site.yaml",
                    "Storage": { "Kind": "Influx", "Sqlite": { "Path": "db/em.db" }, "Influx": { "Url": "{{influx}}", "Database": "{{database}}" } },
                    "Mqtt": { "Brokers": [ { "Name": "bench", "Host": "127.0.0.1", "Port": {{brokerPort}}, "ClientId": "em-service-bench"{{mapping}} } ] },
                    "Schedule": { "RollupCron": "0 1/5 * * * ?" },
                    "Logs": { "Level": "Information" },
                    "Http": { "Url": "http://127.0.0.1:{{port}}" } } }
                """);

            processes.Add(await BenchProcesses.StartAndWaitAsync("dotnet", [energymonitor, "modbus", "simulate", "--settings", settings], dir,
                $"simulating gateway gw-{Gateways - 1:D2}", TimeSpan.FromMinutes(1)));
            var service = BenchProcesses.Start("dotnet", [energymonitor, "run", "--settings", settings], dir);
            processes.Add(service);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await WaitHealthyAsync(http, TimeSpan.FromMinutes(2));
            Console.WriteLine($"service up: {Gateways * UnitsPerGateway} Modbus meters on {Gateways} gateways, {MqttMeters} MQTT meters, " +
                              $"{readingsPerSecond:N0} MQTT readings/s in messages of {readingsPerMessage}; InfluxDB {influx}, database {database}");

            using var stop = new CancellationTokenSource();
            var publisher = new Publisher(brokerPort, readingsPerSecond, readingsPerMessage);
            var publishing = publisher.RunAsync(stop.Token);

            // A minute to settle (connections, JIT, the first poll round), then the measured window.
            await Task.Delay(TimeSpan.FromSeconds(60));
            var start = await Snapshot.TakeAsync(http, service);
            var samples = new List<Snapshot> { start };
            var window = TimeSpan.FromMinutes(minutes);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < window)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                var s = await Snapshot.TakeAsync(http, service);
                samples.Add(s);
                if (samples.Count % 12 == 1)
                {
                    var cpu = (s.Cpu - samples[^13].Cpu) / (s.At - samples[^13].At);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {clock.Elapsed:mm\\:ss} CPU {cpu:P0} of a core, RSS {s.RssMb:F0} MB, outbox {s.Metric("energymonitor_outbox_depth"):N0} readings (oldest {s.Metric("energymonitor_outbox_oldest_age_seconds"):F1} s), published {publisher.Published:N0}"));
                }
            }

            var end = samples[^1];
            await stop.CancelAsync();
            await publishing;

            // Nothing behind: every published reading durable within 30 s of the last one, the outbox empty.
            var mqttSource = readingsPerMessage == 1 ? "mqtt" : "manual";
            var drain = Stopwatch.StartNew();
            Snapshot last;
            do
            {
                await Task.Delay(500);
                last = await Snapshot.TakeAsync(http, service);
            }
            while ((last.Metric($"energymonitor_readings_ingested_total{{source=\"{mqttSource}\"}}") < publisher.Published || last.Metric("energymonitor_outbox_depth") > 0)
                   && drain.Elapsed < TimeSpan.FromSeconds(30));

            var elapsed = end.At - start.At;
            var polls = end.Sum("energymonitor_poll_duration_seconds_count") - start.Sum("energymonitor_poll_duration_seconds_count");
            var pollFailures = end.Sum("energymonitor_poll_failures_total") - start.Sum("energymonitor_poll_failures_total");
            var modbusReadings = end.Sum("energymonitor_readings_ingested_total{source=\"modbus/") - start.Sum("energymonitor_readings_ingested_total{source=\"modbus/");
            var mqttReadings = end.Metric($"energymonitor_readings_ingested_total{{source=\"{mqttSource}\"}}") - start.Metric($"energymonitor_readings_ingested_total{{source=\"{mqttSource}\"}}");
            var rollups = end.Metric("energymonitor_job_runs_total{job=\"rollup\"}") - start.Metric("energymonitor_job_runs_total{job=\"rollup\"}");
            var rollupSeconds = end.Metric("energymonitor_job_duration_seconds_sum{job=\"rollup\"}") - start.Metric("energymonitor_job_duration_seconds_sum{job=\"rollup\"}");
            var jobFailures = end.Sum("energymonitor_job_failures_total") - start.Sum("energymonitor_job_failures_total");
            var inInflux = await CountInInfluxAsync(influx, database, publisher.FirstTimestamp, DateTimeOffset.UtcNow.AddMinutes(1));

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                measured window: {elapsed.TotalMinutes:F1} min after 1 min of warm-up
                service CPU: {(end.Cpu - start.Cpu) / elapsed:P1} of one core (mean over the window; the highest 1-minute mean {MaxMinuteCpu(samples):P1})
                service RSS: {samples.Max(s => s.RssMb):F0} MB at most, {start.RssMb:F0} MB at the start of the window, {end.RssMb:F0} MB at its end
                Modbus: {polls:N0} meter reads ({polls / elapsed.TotalMinutes:N0}/min for {Gateways * UnitsPerGateway} meters), {pollFailures:N0} failed, {modbusReadings:N0} readings stored
                Modbus read latency: p50 {Quantile(start, end, "energymonitor_poll_duration_seconds_bucket", 0.5) * 1000:F1} ms, p99 {Quantile(start, end, "energymonitor_poll_duration_seconds_bucket", 0.99) * 1000:F1} ms (interpolated in the histogram's buckets)
                MQTT: {mqttReadings:N0} readings stored in the window ({mqttReadings / elapsed.TotalSeconds:N0}/s; published {publisher.Published:N0} in all, {publisher.Failures:N0} publishes failed)
                MQTT publish → durable: p50 {Quantile(start, end, $"energymonitor_reading_store_lag_seconds_bucket{{source=\"{mqttSource}\"", 0.5) * 1000:F0} ms, p99 {Quantile(start, end, $"energymonitor_reading_store_lag_seconds_bucket{{source=\"{mqttSource}\"", 0.99) * 1000:F0} ms (stamped at publish, in milliseconds)
                Modbus request → durable: p99 {Quantile(start, end, "energymonitor_reading_store_lag_seconds_bucket{source=\"modbus/", 0.99) * 1000:F0} ms
                outbox: at most {samples.Max(s => s.Metric("energymonitor_outbox_depth")):N0} readings waiting, oldest at most {samples.Max(s => s.Metric("energymonitor_outbox_oldest_age_seconds")):F1} s (sampled every 5 s)
                rollup job: {rollups:N0} runs in the window, {(rollups > 0 ? rollupSeconds / rollups : 0):F1} s each on average; job failures {jobFailures:N0}
                after the publisher stopped: {drain.Elapsed.TotalSeconds:F1} s until every published reading was stored and the outbox empty ({(last.Metric("energymonitor_outbox_depth") == 0 && last.Metric($"energymonitor_readings_ingested_total{{source=\"{mqttSource}\"}}") >= publisher.Published ? "caught up" : "NOT caught up")})
                InfluxDB holds {inInflux:N0} MQTT readings from the publisher's first timestamp on (published {publisher.Published:N0})
                """));
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
            }

            // The service's own logs outlive the run, for what the summary cannot say.
            var logs = Path.Combine(Path.GetTempPath(), "em-service-bench-logs");
            if (Directory.Exists(Path.Combine(dir, "db", "logs")))
            {
                Directory.CreateDirectory(logs);
                foreach (var file in Directory.GetFiles(Path.Combine(dir, "db", "logs")))
                {
                    File.Copy(file, Path.Combine(logs, Path.GetFileName(file)), overwrite: true);
                }

                Console.WriteLine($"service logs: {logs}");
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static string SiteYaml(bool boundTopics)
    {
        var yaml = new StringBuilder("""
            name: 负载测试区
            region: { code: "320117", name: 南京市溧水区, timeZone: Asia/Shanghai }
            gateways:

            """);
        var ports = BenchProcesses.FreePortBlock(Gateways);
        for (var g = 0; g < Gateways; g++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ id: gw-{g:D2}, transport: tcp, host: 127.0.0.1, port: {ports[g]} }}\n");
        }

        yaml.Append("""
            institutions:
              - id: bench
                name: 负载测试单位
                creditCode: 11320117MB0123456D
                nature: "01"
                facts:
                  - { year: 2026, floorArea: 100000, occupants: 2000, staffEstablishment: 1800, vehicles: 0 }
                buildings:

            """);
        for (var b = 0; b < 10; b++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                      - id: b{b}
                        code: 320117A{b + 1:D3}
                        name: 楼{b + 1}
                        floorArea: 10000
                        climateZone: hot-summer-cold-winter
                        meters:

                """);
            for (var g = b * Gateways / 10; g < (b + 1) * Gateways / 10; g++)
            {
                for (var u = 1; u <= UnitsPerGateway; u++)
                {
                    yaml.Append(CultureInfo.InvariantCulture,
                        $"          - {{ id: e-{g:D2}-{u:D2}, name: 电表{g}-{u}, kind: electricity, unit: kWh, intervalMinutes: 5, modbus: {{ gateway: gw-{g:D2}, unit: {u}, template: chint-dtsu666, fastIntervalSeconds: 60 }} }}\n");
                }
            }

            for (var w = b * MqttMeters / 10; w < (b + 1) * MqttMeters / 10; w++)
            {
                var binding = boundTopics ? $", mqtt: {{ topic: bench/w/{w:D4}, field: $.v, timestamp: $.t }}" : "";
                yaml.Append(CultureInfo.InvariantCulture, $"          - {{ id: w-{w:D4}, name: 水表{w}, kind: water, unit: m3, intervalMinutes: 5{binding} }}\n");
            }
        }

        return yaml.ToString();
    }

    private static async Task WaitHealthyAsync(HttpClient http, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"/health: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < timeout)
            {
            }

            await Task.Delay(500);
        }
    }

    private static double MaxMinuteCpu(List<Snapshot> samples) =>
        Enumerable.Range(12, Math.Max(0, samples.Count - 12)).Select(i => (samples[i].Cpu - samples[i - 12].Cpu) / (samples[i].At - samples[i - 12].At)).DefaultIfEmpty(0).Max();

    /// <summary>histogram_quantile over the window: the buckets' growth summed over every label set the prefix matches.</summary>
    private static double Quantile(Snapshot start, Snapshot end, string bucketPrefix, double q)
    {
        var buckets = end.Metrics.Where(p => p.Key.StartsWith(bucketPrefix, StringComparison.Ordinal))
            .GroupBy(p => Le(p.Key))
            .Select(g => (Le: g.Key, Count: g.Sum(p => p.Value - start.Metrics.GetValueOrDefault(p.Key))))
            .OrderBy(b => b.Le)
            .ToList();
        var total = buckets.Count == 0 ? 0 : buckets[^1].Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        var (lower, below) = (0.0, 0.0);
        foreach (var (le, count) in buckets)
        {
            if (count >= rank)
            {
                return double.IsPositiveInfinity(le) ? lower : lower + ((le - lower) * (rank - below) / Math.Max(1, count - below));
            }

            (lower, below) = (le, count);
        }

        return lower;

        static double Le(string key)
        {
            var at = key.IndexOf("le=\"", StringComparison.Ordinal) + 4;
            var text = key[at..key.IndexOf('"', at)];
            return text == "+Inf" ? double.PositiveInfinity : double.Parse(text, CultureInfo.InvariantCulture);
        }
    }

    private static async Task<long> CountInInfluxAsync(Uri influx, string database, DateTimeOffset from, DateTimeOffset to)
    {
        using var store = new InfluxV1ReadingStore(new InfluxOptions { Url = influx, Database = database });
        var counts = await store.CountAsync(from, to, CancellationToken.None);
        return counts.Where(c => c.Key.Value.StartsWith("w-", StringComparison.Ordinal)).Sum(c => c.Value);
    }

    private sealed record Snapshot(DateTimeOffset At, TimeSpan Cpu, double RssMb, Dictionary<string, double> Metrics)
    {
        public static async Task<Snapshot> TakeAsync(HttpClient http, Process service)
        {
            var text = await http.GetStringAsync("/metrics");
            service.Refresh();
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line[0] != '#' && line.LastIndexOf(' ') is > 0 and var space)
                {
                    var value = line[(space + 1)..];
                    metrics[line[..space]] = value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture);
                }
            }

            return new Snapshot(DateTimeOffset.UtcNow, service.TotalProcessorTime, service.WorkingSet64 / 1048576.0, metrics);
        }

        public double Metric(string key) => Metrics.GetValueOrDefault(key);

        public double Sum(string prefix) => Metrics.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Value);
    }

    /// <summary>
    /// MQTT water meters publishing, paced in 100 ms ticks: each reading stamped (in milliseconds) when it is
    /// published, so the service's store-lag histogram measures publish → durable. Counters only rise.
    /// </summary>
    private sealed class Publisher(int brokerPort, int readingsPerSecond, int readingsPerMessage)
    {
        private long _published;
        private long _failures;

        public long Published => Interlocked.Read(ref _published);

        public long Failures => Interlocked.Read(ref _failures);

        public DateTimeOffset FirstTimestamp { get; private set; }

        public async Task RunAsync(CancellationToken stop)
        {
            const int clients = 4;
            var connections = new List<IMqttClient>();
            for (var c = 0; c < clients; c++)
            {
                var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort).WithClientId($"bench-meters-{c}").Build(), CancellationToken.None);
                connections.Add(client);
            }

            var counters = Enumerable.Range(0, MqttMeters).Select(m => 1000.0 + m).ToArray();
            var random = new Random(11);
            var perTick = readingsPerSecond / 10;
            var next = 0;
            FirstTimestamp = DateTimeOffset.UtcNow.AddSeconds(-1);
            var tick = Stopwatch.StartNew();
            for (var t = 0L; !stop.IsCancellationRequested; t++)
            {
                var due = TimeSpan.FromMilliseconds(100 * t) - tick.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(due, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var messages = new List<(string Topic, string Payload, int Readings)>();
                for (var i = 0; i < perTick; i += readingsPerMessage)
                {
                    var items = new List<string>();
                    var meter = 0;
                    for (var k = 0; k < readingsPerMessage && i + k < perTick; k++)
                    {
                        meter = next;
                        next = (next + 1) % MqttMeters;
                        counters[meter] += Math.Round(random.NextDouble() * 0.01, 4);
                        items.Add(readingsPerMessage == 1
                            ? string.Create(CultureInfo.InvariantCulture, $$"""{"v": {{counters[meter]}}, "t": {{stamp}}}""")
                            : string.Create(CultureInfo.InvariantCulture, $$"""{"id": "w-{{meter:D4}}", "v": {{counters[meter]}}, "t": {{stamp}}}"""));
                    }

                    messages.Add(readingsPerMessage == 1
                        ? ($"bench/w/{meter:D4}", items[0], 1)
                        : ($"bench/gw/{meter / readingsPerMessage:D3}/batch", $$"""{"readings": [{{string.Join(", ", items)}}]}""", items.Count));
                }

                await Task.WhenAll(messages.Select((m, i) => PublishAsync(connections[i % clients], m.Topic, m.Payload, m.Readings)));
            }

            foreach (var client in connections)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
                client.Dispose();
            }
        }

        private async Task PublishAsync(IMqttClient client, string topic, string payload, int readings)
        {
            try
            {
                var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                if (result.IsSuccess)
                {
                    Interlocked.Add(ref _published, readings);
                    return;
                }
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or SocketException or OperationCanceledException)
            {
            }

            Interlocked.Increment(ref _failures);
        }
    }
}
