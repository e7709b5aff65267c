using System.Diagnostics;
using System.Text.RegularExpressions;
using EnergyMonitor.Web;

namespace EnergyMonitor.Bench;

/// <summary>
/// The example site in a temporary folder as the service benchmarks run it: its gateways on free ports, a real
/// Mosquitto, settings with a viewer key on a free HTTP port, and <paramref name="Days"/> of demo history rolled up.
/// The child processes it starts are the caller's to stop.
/// </summary>
internal sealed partial record BenchWorkspace(string Directory, string Settings, string EnergyMonitor, int Port, int BrokerPort, string Key, int Days)
{
    public static async Task<BenchWorkspace> CreateAsync(int days, List<Process> processes)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("em-bench-").FullName;
        var energymonitor = Path.Combine(Path.GetDirectoryName(typeof(BenchWorkspace).Assembly.Location)!, "energymonitor.dll");
        var config = BenchProcesses.FindConfig();
        foreach (var file in System.IO.Directory.GetFiles(config))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        System.IO.Directory.CreateDirectory(Path.Combine(dir, "templates"));
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(config, "templates")))
        {
            File.Copy(file, Path.Combine(dir, "templates", Path.GetFileName(file)));
        }

        var site = await File.ReadAllTextAsync(Path.Combine(dir, "site.yaml"));
        site = GatewayPort().Replace(site, _ => $"port: {BenchProcesses.FreePort()}");
        await File.WriteAllTextAsync(Path.Combine(dir, "site.yaml"), site);
        var brokerPort = BenchProcesses.FreePort();
        await File.WriteAllTextAsync(Path.Combine(dir, "mosquitto.conf"), $"listener {brokerPort} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 1000000\nmax_inflight_messages 0\n");
        processes.Add(BenchProcesses.Start("mosquitto", ["-c", Path.Combine(dir, "mosquitto.conf")], dir));
        var port = BenchProcesses.FreePort();
        var key = ApiKeys.NewKey();
        var settings = Path.Combine(dir, "bench.json");
        await File.WriteAllTextAsync(settings, $$"""
            { "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "db/em.db" } },
              "Mqtt": { "Brokers": [ { "Name": "bench", "Host": "127.0.0.1", "Port": {{brokerPort}}, "ClientId": "em-bench" } ] },
              "Logs": { "Level": "Warning" },
              "Http": { "Url": "http://127.0.0.1:{{port}}", "ApiKeys": [ { "Name": "bench", "Hash": "{{ApiKeys.Hash(key)}}", "Role": "viewer" } ] } } }
            """);
        var clock = Stopwatch.StartNew();
        await BenchProcesses.RunToEndAsync("dotnet", [energymonitor, "demo", "history", "--settings", settings, "--db", Path.Combine(dir, "db", "em.db"), "--days", $"{days}", "--mqtt-days", "0"], dir);
        await BenchProcesses.RunToEndAsync("dotnet", [energymonitor, "rollup", "--settings", settings], dir);
        Console.WriteLine($"{days} days of history and rollups in {clock.Elapsed.TotalSeconds:F0} s");
        return new BenchWorkspace(dir, settings, energymonitor, port, brokerPort, key, days);
    }

    /// <summary>Waits until the service answers its API.</summary>
    public async Task WaitForServiceAsync(HttpClient http)
    {
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/site");
                request.Headers.Add("X-Api-Key", Key);
                if ((await http.SendAsync(request)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Stops every child process a run started and deletes its workspace, whatever state the run ended in.</summary>
    public static async Task StopAsync(List<Process> processes, BenchWorkspace? workspace)
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        if (workspace is not null)
        {
            System.IO.Directory.Delete(workspace.Directory, recursive: true);
        }
    }

    [GeneratedRegex(@"port: 1502\d")]
    private static partial Regex GatewayPort();
}
