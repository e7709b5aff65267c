using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EnergyMonitor.Integration.Tests.Web;

/// <summary>
/// Ten thousand generated requests against the running service, over every route of the API (checked against its
/// OpenAPI document, so that a new endpoint joins the fuzz or fails it) and of the console, as every caller: no key,
/// a malformed key, a wrong key, a viewer, an operator and a signed-in browser. Every parameter takes hostile values
/// (dates in year 1 and 9999, ranges ten thousand years apart, traversal, NUL, scripts, 3,000 characters,
/// repeats). What must hold: no 5xx, no answer slower than the bound, and the service's memory where it was.
/// </summary>
[Collection("service")]
public sealed partial class ApiFuzzTests(ServiceFixture service)
{
    private const int Requests = 10_000;
    private const int Concurrency = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Hostile =
    [
        "", " ", "0", "-1", "1", "2", "999999999999999999999", "1e309", "NaN", "-0", "true", "false", "all", "en", "zh", "xx",
        "electricity", "water", "gas", "heat", "info", "warning", "critical", "info,warning", "Info", "5",
        "admin-main", "school-teaching", "lishui-admin", "adm-main-total", "adm-main-water", "building/admin-main/electricity",
        "institution/lishui-admin/electricity", "region/320117/electricity", "region/320117/item/01A00", "region/../../x", "adm-main-total/power",
        "interval", "hour", "day", "month",
        "2026-11-01", "2026-11-20", "0001-01-01", "9999-12-31", "2026-02-30", "2026-11-01T00:00:00+08:00", "2026-11-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1899-12-30",
        "2025-01-01..2025-12-31", "2026-10-01..2026-11-20", "0002-01-01..0002-01-31", "9998-01-01..9998-12-31", "2000-01-01..2100-12-31",
        "2026-12-31..2026-01-01", "a..b", "..",
        "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%00", "\0", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}",
        "é", "𠜎", "\t/evil.example", "//evil.example", "/\\evil.example", "http://evil.example", "%ZZ", "\r\nSet-Cookie: x=1",
        new string('A', 3000), new string('9', 400),
        "2025", "2026", "2026-11", "kgce", "energy-per-person", "co2-per-area", "suspect", "lishui-no2-school", "指标.人均综合能耗",
    ];

    private static readonly string[] AbsentIds = ["987654321", "-1", "0", "999999999999999999999", "abc", "\0", "../1", new string('7', 300)];

    /// <summary>Every route, its parameters in the path and the query, and whether it writes.</summary>
    private static readonly (string Method, string Template, string[] Query)[] Routes =
    [
        ("GET", "/api/v1/site", ["lang"]),
        ("GET", "/api/v1/overview", ["lang"]),
        ("GET", "/api/v1/buildings/{building}", ["lang"]),
        ("GET", "/api/v1/meters", ["building", "lang"]),
        ("GET", "/api/v1/consumption", ["series", "from", "to", "resolution", "lang"]),
        ("GET", "/api/v1/indicators/{institution}", ["lang"]),
        ("GET", "/api/v1/alerts", ["active", "building", "severity", "limit", "lang"]),
        ("GET", "/api/v1/alerts/{id}", ["lang"]),
        ("POST", "/api/v1/alerts/{id}/ack", ["lang"]),
        ("GET", "/api/v1/assessments/{building}", ["kind", "baseline", "reporting", "lang"]),
        ("GET", "/api/v1/submissions/{year}", ["lang"]),
        ("PUT", "/api/v1/submissions/{year}/explanations", ["lang"]),
        ("GET", "/api/v1/submissions/{year}/export", ["format", "lang"]),
        ("GET", "/api/v1/rankings/{year}", ["by", "lang"]),
        ("GET", "/api/v1/scorecards/{year}", ["institution", "lang"]),
        ("GET", "/api/v1/meters/tree", ["building", "lang"]),
        ("GET", "/api/v1/flow", ["period", "unit", "lang"]),
        ("GET", "/api/v1/reports", ["lang"]),
        ("GET", "/api/v1/reports/{id}/download", []),
        ("GET", "/health", []),
        ("GET", "/metrics", []),
        ("GET", "/openapi/v1.json", []),
        ("GET", "/login", ["back", "lang"]),
        ("POST", "/login", ["back", "lang"]),
        ("POST", "/logout", []),
        ("GET", "/", ["lang"]),
        ("GET", "/buildings/{building}", ["lang", "kind", "day"]),
        ("GET", "/alerts", ["state", "severity", "building", "lang"]),
        ("POST", "/alerts/{id}/ack", ["back", "lang"]),
        ("GET", "/reports", ["lang"]),
        ("GET", "/rankings", ["year", "by", "lang"]),
        ("GET", "/scorecard", ["year", "lang"]),
        ("GET", "/scorecard/{institution}", ["year", "lang"]),
        ("GET", "/submission", ["year", "lang"]),
        ("POST", "/submission/{year}/explain", ["lang"]),
        ("GET", "/submission/{year}/export/{format}", []),
        ("GET", "/savings", ["lang"]),
        ("GET", "/savings/{building}", ["kind", "baselineFrom", "baselineTo", "reportingFrom", "reportingTo", "lang"]),
        ("GET", "/meters", ["building", "status", "lang"]),
        ("GET", "/flow", ["period", "unit", "lang"]),
        ("GET", "/admin/users", ["lang"]),
        ("POST", "/admin/users", ["lang"]),
        ("POST", "/admin/users/{name}", ["lang"]),
        ("GET", "/admin/audit", ["before", "lang"]),
        ("GET", "/reports/{id}/download", []),
        ("GET", "/fonts/cjk.woff2", []),
        ("GET", "/static/{file}", []),
        ("GET", "/{anything}", []),
    ];

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_answer_within_the_bound_and_leave_memory_where_it_was()
    {
        await EveryApiRouteIsFuzzedAsync();
        using var browser = await service.SignedInAsync(ServiceFixture.Viewer);
        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var callers = new Func<HttpRequestMessage, HttpRequestMessage>[]
        {
            r => r,
            r => With(r, "X-Api-Key", "em_" + new string('x', 40)),
            r => With(r, "X-Api-Key", "not a key at all"),
            r => With(r, "Authorization", "Bearer " + service.ViewerKey),
            r => With(r, "X-Api-Key", service.ViewerKey),
            r => With(r, "X-Api-Key", service.OperatorKey),
        };

        // Warm-up: every route once as each caller, so that JIT, caches and pools are in the "before".
        var warmUp = new Random(1);
        foreach (var route in Routes)
        {
            foreach (var caller in callers)
            {
                await SendAsync(anonymous, caller(Build(route, warmUp, hostile: false)));
            }
        }

        var before = service.RssMb();
        var random = new Random(20261203);
        var plan = Enumerable.Range(0, Requests).Select(_ =>
        {
            var route = Routes[random.Next(Routes.Length)];
            var request = Build(route, random, hostile: true);
            var who = random.Next(callers.Length + 1);
            return (Client: who == callers.Length ? browser : anonymous, Request: who == callers.Length ? request : callers[who](request));
        }).ToList();

        var failures = new List<string>();
        var statuses = new int[600];
        var slowest = TimeSpan.Zero;
        var slowestRequest = "";
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = Ct }, async (item, _) =>
        {
            var what = $"{item.Request.Method} {item.Request.RequestUri}";
            var (status, elapsed) = await SendAsync(item.Client, item.Request);
            lock (failures)
            {
                statuses[status]++;
                if (status >= 500)
                {
                    failures.Add($"{status} {what}");
                }

                if (elapsed > slowest)
                {
                    (slowest, slowestRequest) = (elapsed, what);
                }
            }
        });

        var after = service.RssMb();
        var summary = string.Join(", ", statuses.Select((n, s) => (n, s)).Where(p => p.n > 0).Select(p => $"{p.s}: {p.n}"));
        TestContext.Current.SendDiagnosticMessage($"statuses {summary}; slowest {slowest.TotalMilliseconds:N0} ms ({slowestRequest}); RSS {before} → {after} MB");
        Assert.True(failures.Count == 0, $"{failures.Count} answers of 5xx, e.g.:\n{string.Join('\n', failures.Take(20))}");
        Assert.True(slowest < TimeSpan.FromSeconds(10), $"slowest answer {slowest.TotalSeconds:N1} s: {slowestRequest}");
        Assert.True(after - before < 50, $"RSS from {before} MB to {after} MB over {Requests:N0} requests ({summary})");
        Assert.True(statuses[200] > 500, $"the fuzz must reach the endpoints' work, not only their refusals ({summary})");
    }

    /// <summary>The OpenAPI document's paths are all in <see cref="Routes"/>: an endpoint added later joins the fuzz.</summary>
    private async Task EveryApiRouteIsFuzzedAsync()
    {
        using var client = service.Client();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Ct));
        var templates = Routes.Select(r => RouteParameter().Replace(r.Template, "{}")).ToHashSet();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            Assert.Contains(RouteParameter().Replace(path.Name, "{}"), templates);
        }
    }

    private HttpRequestMessage Build((string Method, string Template, string[] Query) route, Random random, bool hostile)
    {
        string Value() => hostile ? Hostile[random.Next(Hostile.Length)] : Hostile[random.Next(26, 52)];
        string Escape(string value) => random.Next(4) == 0 ? value.Replace("\0", "%00", StringComparison.Ordinal).Replace("\r\n", "%0D%0A", StringComparison.Ordinal) : Uri.EscapeDataString(value);

        var path = RouteParameter().Replace(route.Template, m => m.Value switch
        {
            // A write in this fuzz never names an alert that exists: the other tests of the collection judge their states.
            "{id}" when route.Method == "POST" => Escape(AbsentIds[random.Next(AbsentIds.Length)]),
            "{year}" when !hostile || random.Next(2) == 0 => random.Next(2023, 2028).ToString(CultureInfo.InvariantCulture),
            "{id}" when !hostile || random.Next(3) == 0 => random.Next(-2, 40).ToString(CultureInfo.InvariantCulture),
            "{file}" => random.Next(2) == 0 ? "console.css" : Escape(Value()),
            _ => Escape(Value()),
        });
        var query = new StringBuilder();
        foreach (var name in route.Query.Where(_ => !hostile || random.Next(3) > 0))
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Escape(Value()));
            if (hostile && random.Next(20) == 0)
            {
                query.Append('&').Append(name).Append('=').Append(Escape(Value())); // a repeated parameter
            }
        }

        if (hostile && random.Next(10) == 0)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Escape(Value())).Append('=').Append(Escape(Value()));
        }

        // Absolute, so that a path beginning // is this host's path, not another host.
        var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(service.BaseAddress.GetLeftPart(UriPartial.Authority) + path + query));
        if (route.Method == "PUT" && random.Next(2) == 0)
        {
            // A JSON body as the endpoint reads it, each member hostile; now and then truncated.
            var json = JsonSerializer.Serialize(new { institution = Value(), field = Value(), reason = Value() });
            request.Content = new StringContent(random.Next(5) == 0 ? json[..(json.Length / 2)] : json, Encoding.UTF8, "application/json");
        }
        else if (route.Method is "POST" or "PUT")
        {
            var form = string.Join('&', Enumerable.Range(0, random.Next(4)).Select(_ => $"{Escape(Value())}={Escape(Value())}"));
            request.Content = random.Next(5) == 0
                ? new ByteArrayContent(RandomBytes(random))
                : new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        if (hostile && random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", random.Next(2) == 0 ? "text/plain" : "application/xml;q=0.1, */*;q=0");
        }

        return request;
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 70_000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static HttpRequestMessage With(HttpRequestMessage request, string header, string value)
    {
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    private static async Task<(int Status, TimeSpan Elapsed)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, Ct);
            await response.Content.ReadAsByteArrayAsync(Ct);
            return ((int)response.StatusCode, clock.Elapsed);
        }
        catch (HttpRequestException)
        {
            // The server closed the connection on a request it would not read (a body over its limit): a refusal,
            // which Kestrel makes before any endpoint runs. 499 in the tally, never a pass for a 5xx.
            return (499, clock.Elapsed);
        }
        finally
        {
            request.Dispose();
        }
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();
}
