using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;

namespace EnergyMonitor.Bench;

/// <summary>
/// The service as it runs (a child `energymonitor run` on the example site with 400 days of history, real
/// Mosquitto, simulated Modbus gateways): a year of daily consumption for one series under N concurrent clients,
/// /metrics alone and under that load, and MQTT ingest of the same stream with and without the load. With a
/// PostgreSQL connection string, the same history is then moved there (`energymonitor migrate --to postgres`) and
/// the same load runs against the service on PostgreSQL, in the same run.
/// </summary>
internal static class ApiLoadBench
{
    public static async Task RunAsync(int clients, double seconds, int messages, bool distinct, double perClientRate, string? postgres = null)
    {
        var processes = new List<Process>();
        BenchWorkspace? workspace = null;
        try
        {
            workspace = await BenchWorkspace.CreateAsync(400, processes);
            var (dir, settings, energymonitor, port, brokerPort, key) = (workspace.Directory, workspace.Settings, workspace.EnergyMonitor, workspace.Port, workspace.BrokerPort, workspace.Key);
            var clock = Stopwatch.StartNew();
            var sqlite = await MeasureAsync("SQLite", energymonitor, settings, dir, port, key, brokerPort, clients, seconds, messages, distinct, perClientRate, processes);
            if (postgres is not null)
            {
                var pgSettings = Path.Combine(dir, "bench-pg.json");
                await File.WriteAllTextAsync(pgSettings, (await File.ReadAllTextAsync(settings)).Replace(
                    "\"Storage\": { \"Sqlite\"", $"\"Storage\": {{ \"Kind\": \"Postgres\", \"Postgres\": {{ \"ConnectionString\": \"{postgres}\" }}, \"Sqlite\"", StringComparison.Ordinal));
                clock.Restart();
                await BenchProcesses.RunToEndAsync("dotnet", [energymonitor, "migrate", "--to", "postgres", "--settings", pgSettings], dir);
                Console.WriteLine($"migrated to PostgreSQL in {clock.Elapsed.TotalSeconds:F0} s");
                var server = await MeasureAsync("PostgreSQL", energymonitor, pgSettings, dir, port, key, brokerPort, clients, seconds, messages, distinct, perClientRate, processes);
                Console.WriteLine($"PostgreSQL against SQLite, same history, same load: p50 {server.P50 / sqlite.P50:F2}×, p99 {server.P99 / sqlite.P99:F2}×");
            }
        }
        finally
        {
            await BenchWorkspace.StopAsync(processes, workspace);
        }
    }

    private static async Task<(double P50, double P99)> MeasureAsync(string store, string energymonitor, string settings, string dir, int port, string key, int brokerPort, int clients,
        double seconds, int messages, bool distinct, double perClientRate, List<Process> processes)
    {
        var simulator = BenchProcesses.Start("dotnet", [energymonitor, "modbus", "simulate", "--settings", settings], dir);
        processes.Add(simulator);
        var service = BenchProcesses.Start("dotnet", [energymonitor, "run", "--settings", settings], dir);
        processes.Add(service);
        Console.WriteLine($"— the service on {store}");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/api/v1/site")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        static string YearEnding(DateOnly end) => $"/api/v1/consumption?series=region/320117/electricity&from={end.AddDays(-365):yyyy-MM-dd}&to={end:yyyy-MM-dd}&resolution=day";
        var year = YearEnding(today);
        var rows = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(year)).RootElement.GetProperty("rows").GetArrayLength();
        Console.WriteLine($"one request: {rows} daily rows; warming up");
        for (var i = 0; i < 200; i++)
        {
            await http.GetStringAsync(year);
            await http.GetStringAsync("/metrics");
        }

        var single = await TimeAsync(http, year, 300);
        Console.WriteLine($"one client alone, the year: p50 {BenchProcesses.Quantile(single, 0.5):F2} ms, p99 {BenchProcesses.Quantile(single, 0.99):F2} ms");
        var metricsIdle = await TimeAsync(http, "/metrics", 300);
        Console.WriteLine($"/metrics alone: p50 {BenchProcesses.Quantile(metricsIdle, 0.5):F2} ms, p99 {BenchProcesses.Quantile(metricsIdle, 0.99):F2} ms");
        var ingestIdle = await IngestAsync(http, brokerPort, messages, 0);
        Console.WriteLine($"MQTT ingest alone: {messages:N0} readings in {ingestIdle.TotalSeconds:F2} s ({messages / ingestIdle.TotalSeconds:N0}/s)");

        // The load: N clients asking for the year, back to back.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var latencies = new List<double>[clients];
        var cpuBefore = service.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var load = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            latencies[c] = [];
            using var client = new HttpClient { BaseAddress = http.BaseAddress };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var n = 0;
            // Each client starts at its own phase of the period, as users do, rather than all 50 in lockstep.
            var started = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * (perClientRate > 0 ? c / (clients * perClientRate) : 0));
            while (!stop.IsCancellationRequested)
            {
                if (perClientRate > 0 && TimeSpan.FromSeconds(n / perClientRate) - Stopwatch.GetElapsedTime(started) is { TotalMilliseconds: > 0 } wait)
                {
                    // Paced: a user who clicks perClientRate times a second, not a loop as fast as the machine allows.
                    await Task.Delay(wait);
                }

                // distinct: each request a different year (ending on one of 400 days), so no page of the database stays hot by luck.
                var path = distinct ? YearEnding(today.AddDays(-((c * 7919) + n++) % 400)) : year;
                var t = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                response.EnsureSuccessStatusCode();
                latencies[c].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var metricsLoaded = await TimeAsync(http, "/metrics", 100);
        var ingestLoaded = await IngestAsync(http, brokerPort, messages, 1);
        await Task.WhenAll(load);
        var elapsed = wall.Elapsed;
        var cpu = (service.TotalProcessorTime - cpuBefore).TotalSeconds / elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        Console.WriteLine($"{(distinct ? "a different year each request" : "the same year each request")}, {(perClientRate > 0 ? $"each client {perClientRate}/s" : "each client as fast as it can")}:");
        Console.WriteLine($"{clients} clients, {elapsed.TotalSeconds:F0} s: {all.Count:N0} requests ({all.Count / elapsed.TotalSeconds:N0}/s), p50 {BenchProcesses.Quantile(all, 0.5):F1} ms, p99 {BenchProcesses.Quantile(all, 0.99):F1} ms, max {all[^1]:F1} ms; service CPU {cpu:P0} of one core");
        Console.WriteLine($"/metrics under load: p50 {BenchProcesses.Quantile(metricsLoaded, 0.5):F2} ms, p99 {BenchProcesses.Quantile(metricsLoaded, 0.99):F2} ms");
        Console.WriteLine($"MQTT ingest under load: {messages:N0} readings in {ingestLoaded.TotalSeconds:F2} s ({messages / ingestLoaded.TotalSeconds:N0}/s), {ingestLoaded / ingestIdle:F2}× the time alone");
        foreach (var process in new[] { service, simulator })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            processes.Remove(process);
        }

        return (BenchProcesses.Quantile(all, 0.5), BenchProcesses.Quantile(all, 0.99));
    }

    private static async Task<List<double>> TimeAsync(HttpClient http, string path, int count)
    {
        var result = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await http.GetStringAsync(path);
            result.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        result.Sort();
        return result;
    }

    /// <summary>Publishes readings of one MQTT meter (a day in the past, one a second) and times until /metrics counts them all.</summary>
    private static async Task<TimeSpan> IngestAsync(HttpClient http, int brokerPort, int messages, int round)
    {
        static async Task<double> Ingested(HttpClient http) =>
            (await http.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("energymonitor_readings_ingested_total{source=\"mqtt\"}", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();

        var before = await Ingested(http);
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort).WithClientId($"bench-publisher-{round}").Build());
        var start = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds() + (round * messages);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"total": {{100_000 + (round * messages) + i}}, "ts": {{start + i}}}""");
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("lishui/admin/main/water").WithPayload(Encoding.UTF8.GetBytes(payload))
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        while (await Ingested(http) < before + messages)
        {
            await Task.Delay(20);
        }

        return clock.Elapsed;
    }


}
