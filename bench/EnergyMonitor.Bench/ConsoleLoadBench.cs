using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace EnergyMonitor.Bench;

/// <summary>
/// The console's pages under N signed-in people at once (the service as it runs, on the example site with a year
/// and more of history): each person walks every page in turn, back to back, for the given time. Latency per page,
/// p50 and p99, with the overview (the page the console had before the officers' pages) as the baseline of the run.
/// </summary>
internal static partial class ConsoleLoadBench
{
    public static async Task RunAsync(int people, double seconds, int days)
    {
        var processes = new List<Process>();
        BenchWorkspace? workspace = null;
        try
        {
            workspace = await BenchWorkspace.CreateAsync(days, processes);
            const string password = "load-test-password-1";
            var add = BenchProcesses.Start("dotnet", [workspace.EnergyMonitor, "user", "add", "bench", "--role", "admin", "--password-stdin", "--settings", workspace.Settings], workspace.Directory, redirectInput: true);
            await add.StandardInput.WriteLineAsync(password);
            add.StandardInput.Close();
            await add.WaitForExitAsync();
            if (add.ExitCode != 0)
            {
                throw new InvalidOperationException($"user add exited {add.ExitCode}");
            }

            processes.Add(BenchProcesses.Start("dotnet", [workspace.EnergyMonitor, "modbus", "simulate", "--settings", workspace.Settings], workspace.Directory));
            var service = BenchProcesses.Start("dotnet", [workspace.EnergyMonitor, "run", "--settings", workspace.Settings], workspace.Directory);
            processes.Add(service);
            var baseAddress = new Uri($"http://127.0.0.1:{workspace.Port}/");
            using (var probe = new HttpClient { BaseAddress = baseAddress })
            {
                await workspace.WaitForServiceAsync(probe);
            }

            var now = DateTime.UtcNow.AddHours(8);
            var year = now.Year - 1;
            string[] pages =
            [
                "/", $"/rankings?year={year}", $"/rankings?year={year}&by=energy-per-person", $"/scorecard?year={year}", $"/scorecard/lishui-admin?year={year}",
                $"/submission?year={year}", "/savings/admin-main", "/meters", $"/flow?period={now.AddMonths(-1):yyyy-MM}", $"/flow?period={year}&unit=electricity",
                "/alerts", "/admin/users", "/admin/audit",
            ];
            var browsers = new List<HttpClient>();
            for (var i = 0; i < people; i++)
            {
                browsers.Add(await SignInAsync(baseAddress, "bench", password));
            }

            // Warm-up: every page once per person, so that JIT and the database's pages are in before the clock starts.
            foreach (var browser in browsers)
            {
                foreach (var page in pages)
                {
                    (await browser.GetAsync(page)).EnsureSuccessStatusCode();
                }
            }

            var latencies = pages.ToDictionary(p => p, _ => new List<double>());
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var cpuBefore = service.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(browsers.Select((browser, b) => Task.Run(async () =>
            {
                for (var n = b; !stop.IsCancellationRequested; n++)
                {
                    var page = pages[n % pages.Length];
                    var t = Stopwatch.GetTimestamp();
                    using var response = await browser.GetAsync(page, HttpCompletionOption.ResponseContentRead);
                    response.EnsureSuccessStatusCode();
                    var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                    lock (latencies)
                    {
                        latencies[page].Add(ms);
                    }
                }
            })));
            var cpu = (service.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds;
            var all = latencies.Values.SelectMany(l => l).Order().ToList();
            Console.WriteLine($"{people} people, {wall.Elapsed.TotalSeconds:F0} s, {all.Count:N0} pages ({all.Count / wall.Elapsed.TotalSeconds:N0}/s); service CPU {cpu:P0} of one core");
            var baseline = BenchProcesses.Quantile([.. latencies["/"].Order()], 0.99);
            Console.WriteLine($"{"page",-48} {"n",6} {"p50 ms",8} {"p99 ms",8} {"p99 ÷ overview",15}");
            foreach (var (page, list) in latencies)
            {
                var sorted = list.Order().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page,-48} {sorted.Count,6} {BenchProcesses.Quantile(sorted, 0.5),8:F1} {BenchProcesses.Quantile(sorted, 0.99),8:F1} {BenchProcesses.Quantile(sorted, 0.99) / baseline,14:F2}×"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"every page: p50 {BenchProcesses.Quantile(all, 0.5):F1} ms, p99 {BenchProcesses.Quantile(all, 0.99):F1} ms, max {all[^1]:F1} ms (goal: p99 under 300 ms)"));
            browsers.ForEach(b => b.Dispose());
        }
        finally
        {
            await BenchWorkspace.StopAsync(processes, workspace);
        }
    }

    private static async Task<HttpClient> SignInAsync(Uri baseAddress, string name, string password)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var login = await browser.GetStringAsync("/login");
        using var signIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenField().Match(login).Groups[1].Value),
            ["name"] = name,
            ["password"] = password,
        }));
        if (signIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in answered {(int)signIn.StatusCode}");
        }

        return browser;
    }


    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
