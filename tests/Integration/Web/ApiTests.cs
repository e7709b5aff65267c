using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EnergyMonitor.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MQTTnet;

namespace EnergyMonitor.Integration.Tests.Web;

/// <summary>The HTTP API, /health and /metrics of the running service, over real HTTP: each endpoint's answer and its refusals.</summary>
[Collection("service")]
public sealed partial class ApiTests(ServiceFixture service)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] ApiGets =
    [
        "/api/v1/site", "/api/v1/overview", "/api/v1/buildings/admin-main", "/api/v1/meters", "/api/v1/consumption?series=region/320117/electricity&from=2026-01-01&to=2026-02-01",
        "/api/v1/indicators/lishui-admin", "/api/v1/alerts", "/api/v1/alerts/1", "/api/v1/assessments/admin-main", "/api/v1/reports", "/api/v1/reports/1/download",
    ];

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(250, Ct);
        }
    }

    [Fact]
    public async Task An_assessment_a_century_from_its_baseline_is_answered_without_the_service_growing()
    {
        // The periods are read on their own: a baseline in 2000 and a reporting year in 2099 read two years of
        // days, not the hundred between (ten thousand years between them took the service to 4.5 GB).
        using var client = service.Client(service.ViewerKey);
        var before = service.RssMb();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/api/v1/assessments/admin-main?baseline=2000-01-01..2000-12-31&reporting=2099-01-01..2099-12-31", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var none = await client.GetAsync("/api/v1/assessments/admin-main?kind=water&baseline=2000-01-01..2000-12-31&reporting=2001-01-01..2001-03-31", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, none.StatusCode); // no use and no weather: a documented 200 with the reasons, not a 500
            Assert.NotEmpty((await JsonAsync(none)).GetProperty("notes").EnumerateArray());
        }

        Assert.True(service.RssMb() - before < 50, $"RSS from {before} MB to {service.RssMb()} MB");
    }

    [Fact]
    public async Task Health_reports_each_part_in_the_health_check_format_and_the_gateways_answer()
    {
        using var client = service.Client();
        var text = await EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/health", Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            return JsonDocument.Parse(body).RootElement.GetProperty("entries").GetProperty("modbus").GetProperty("status").GetString() == "Healthy" ? body : null;
        }, TimeSpan.FromSeconds(60), "the Modbus gateways to answer");
        var health = JsonDocument.Parse(text).RootElement;

        var entries = health.GetProperty("entries");
        foreach (var part in new[] { "store", "modbus", "scheduler", "mqtt", "outbox", "alert-channels" })
        {
            Assert.True(entries.TryGetProperty(part, out var entry), part);
            Assert.Contains(entry.GetProperty("status").GetString(), new[] { "Healthy", "Degraded", "Unhealthy" });
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("description").GetString()), part);
        }

        Assert.Equal("Healthy", entries.GetProperty("store").GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, entries.GetProperty("modbus").GetProperty("data").GetProperty("gw-admin").GetProperty("lastAnswered").ValueKind);
        Assert.Equal("Running", entries.GetProperty("scheduler").GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public void The_service_logs_one_json_event_per_line_to_a_daily_file_without_quartz_chatter()
    {
        var file = Assert.Single(Directory.GetFiles(Path.Combine(service.Directory, "db", "logs"), "energymonitor-*.log"));
        string[] lines;
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        Assert.Contains(lines, l => l.Contains("Serving site", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(JsonDocument.Parse(l).RootElement.TryGetProperty("@t", out _), l));
        Assert.DoesNotContain(lines, l => JsonDocument.Parse(l).RootElement.TryGetProperty("SourceContext", out var source)
            && source.GetString()!.StartsWith("Quartz", StringComparison.Ordinal) && !JsonDocument.Parse(l).RootElement.TryGetProperty("@l", out _));
    }

    [Fact]
    public void The_service_told_its_service_manager_it_was_ready() =>
        Assert.Contains(service.Notifications, n => n.Split('\n').Contains("READY=1"));

    /// <summary>One sample line of the Prometheus text format: a name, optional labels, and a value.</summary>
    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$""")]
    private static partial Regex Sample();

    private static async Task<Dictionary<string, double>> MetricsAsync(HttpClient client)
    {
        var text = await client.GetStringAsync("/metrics", Ct);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"not Prometheus text: {line}");
            var value = match.Groups[4].Value;
            samples[line[..line.LastIndexOf(' ')]] = value switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, _ => double.Parse(value, CultureInfo.InvariantCulture) };
        }

        return samples;
    }

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_move_when_readings_and_bad_messages_arrive()
    {
        using var client = service.Client();
        using var api = service.Client(service.ViewerKey);
        var first = await EventuallyAsync(async () =>
        {
            var m = await MetricsAsync(client);
            return m.GetValueOrDefault("energymonitor_readings_ingested_total{source=\"modbus/gw-admin\"}") > 0 ? m : null;
        }, TimeSpan.FromSeconds(60), "the first Modbus readings to be counted");
        foreach (var name in new[] { "energymonitor_poll_duration_seconds_count{gateway=\"gw-admin\"}", "energymonitor_outbox_depth", "energymonitor_alerts_open{severity=\"critical\"}", "energymonitor_meters{kind=\"electricity\"}", "energymonitor_samples_unknown_meter_total" })
        {
            Assert.True(first.ContainsKey(name), name);
        }

        // One reading for the main water meter (its latest value and a little more, stamped now), and one message that is not JSON.
        var meters = await api.GetFromJsonAsync<JsonElement>("/api/v1/meters?building=admin-main", Ct);
        var water = meters.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "adm-main-water");
        var total = water.GetProperty("latest").GetProperty("value").GetDouble() + 0.5;
        var mqttBefore = first.GetValueOrDefault("energymonitor_readings_ingested_total{source=\"mqtt\"}");
        var quarantinedBefore = first.Where(p => p.Key.StartsWith("energymonitor_readings_quarantined_total", StringComparison.Ordinal)).Sum(p => p.Value);
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.Broker.Port).WithClientId("web-test").Build(), Ct);
        var payload = string.Create(CultureInfo.InvariantCulture, $$"""{"total": {{total}}, "ts": {{service.Clock.GetUtcNow().ToUnixTimeSeconds()}}}""");
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("lishui/admin/main/water").WithPayload(payload)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("lishui/admin/main/water").WithPayload("garbage{")
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), Ct);

        var after = await EventuallyAsync(async () =>
        {
            var m = await MetricsAsync(client);
            var quarantined = m.Where(p => p.Key.StartsWith("energymonitor_readings_quarantined_total", StringComparison.Ordinal)).Sum(p => p.Value);
            return m.GetValueOrDefault("energymonitor_readings_ingested_total{source=\"mqtt\"}") >= mqttBefore + 1 && quarantined >= quarantinedBefore + 1 ? m : null;
        }, TimeSpan.FromSeconds(30), "the MQTT reading and the quarantined message to be counted");
        Assert.Equal(mqttBefore + 1, after["energymonitor_readings_ingested_total{source=\"mqtt\"}"]);

        // Its store lag is observed once: stamped in the second it was published, it was durable inside the 30 s bucket.
        const string lag = "energymonitor_reading_store_lag_seconds";
        Assert.Equal(first.GetValueOrDefault(lag + "_count{source=\"mqtt\"}") + 1, after[lag + "_count{source=\"mqtt\"}"]);
        Assert.Equal(first.GetValueOrDefault(lag + "_bucket{source=\"mqtt\",le=\"30\"}") + 1, after[lag + "_bucket{source=\"mqtt\",le=\"30\"}"]);
    }

    [Fact]
    public async Task No_endpoint_but_health_and_metrics_answers_without_a_key_or_with_a_wrong_one()
    {
        using var anonymous = service.Client();
        using var wrong = service.Client("em_this-is-not-a-key-of-this-service");
        foreach (var path in ApiGets)
        {
            using var response = await anonymous.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("lishui", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var response = await wrong.GetAsync("/api/v1/site", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

            // Written by the framework's problem details service, as the endpoints' problems are: the same fields.
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            Assert.Equal("API key required", problem.GetProperty("title").GetString());
            Assert.True(problem.TryGetProperty("traceId", out _), problem.ToString());
        }

        foreach (var page in new[] { "/", "/alerts", "/reports", "/buildings/admin-main" })
        {
            // A forged Host header is not reflected: the redirect is a path on this site.
            using var request = new HttpRequestMessage(HttpMethod.Get, page);
            request.Headers.Host = "evil.example";
            using var response = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = service.BaseAddress }.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            Assert.False(response.Headers.Location.IsAbsoluteUri, response.Headers.Location.OriginalString);
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/metrics", Ct)).StatusCode);
        using var post = await anonymous.PostAsync("/api/v1/alerts/1/ack", null, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Failed_keys_from_one_address_are_refused_for_a_minute_while_other_addresses_go_on()
    {
        // From 127.0.0.2, so the other tests (from 127.0.0.1) are not throttled.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var attacker = new HttpClient(handler) { BaseAddress = service.BaseAddress };
        attacker.DefaultRequestHeaders.Add("X-Api-Key", "em_guess-guess-guess");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await attacker.GetAsync("/api/v1/site", Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        using var officer = service.Client(service.ViewerKey);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/api/v1/site", Ct)).StatusCode);

        // From the guesser's own address (behind a proxy, everyone's): a known key, /health and the sign-in page
        // still answer; only the guessed key is refused.
        using var sameAddress = new HttpClient(handler, disposeHandler: false) { BaseAddress = service.BaseAddress };
        using (var valid = new HttpRequestMessage(HttpMethod.Get, "/api/v1/site"))
        {
            valid.Headers.Add("X-Api-Key", service.ViewerKey);
            Assert.Equal(HttpStatusCode.OK, (await sameAddress.SendAsync(valid, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await sameAddress.GetAsync("/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sameAddress.GetAsync("/login", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_console_session_does_not_authenticate_the_api_and_cannot_acknowledge_through_it()
    {
        using var browser = await service.SignedInAsync(ServiceFixture.Officer);
        using var api = service.Client(service.ViewerKey);
        var open = (await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?active=true", Ct)).EnumerateArray().First(a => a.GetProperty("state").GetString() == "open");
        var id = open.GetProperty("id").GetInt64();

        using var read = await browser.GetAsync("/api/v1/site", Ct);
        using var write = await browser.PostAsync($"/api/v1/alerts/{id}/ack", null, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal("open", (await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}", Ct)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/", Ct)).StatusCode); // the console itself is signed in
    }

    [Fact]
    public async Task After_logout_the_sessions_cookie_replayed_signs_nobody_in()
    {
        var jar = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = service.BaseAddress };
        using (var signIn = await ServiceFixture.SignInAsync(browser, ServiceFixture.Viewer.Name, ServiceFixture.Viewer.Password, Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var session = jar.GetCookies(service.BaseAddress)["em-session"]!.Value;
        var page = await browser.GetStringAsync("/", Ct);
        var token = WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);
        using (var logout = await browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        // An attacker who copied the cookie before the logout presents it again.
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"em-session={session}");
        using var response = await replay.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.OriginalString.Replace(service.BaseAddress.ToString(), "/", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_cannot_acknowledge_and_an_operator_can()
    {
        using var viewer = service.Client(service.ViewerKey);
        using var officer = service.Client(service.OperatorKey);
        var alerts = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/alerts?active=true", Ct);
        var open = alerts.EnumerateArray().Last(a => a.GetProperty("state").GetString() == "open");
        var id = open.GetProperty("id").GetInt64();

        using (var refused = await viewer.PostAsync($"/api/v1/alerts/{id}/ack", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal("open", (await viewer.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}", Ct)).GetProperty("state").GetString());
        using (var done = await officer.PostAsync($"/api/v1/alerts/{id}/ack", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            var body = await JsonAsync(done);
            Assert.Equal("acknowledged", body.GetProperty("state").GetString());
            Assert.Equal("officer-1", body.GetProperty("acknowledgedBy").GetString());
        }

        using var missing = await officer.PostAsync("/api/v1/alerts/999999/ack", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/consumption?series=nope&from=2026-01-01&to=2026-02-01", "series")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=2026-01-01", "to")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=last%20week&to=2026-02-01", "from")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=2020-01-01&to=2026-01-01&resolution=hour", "to")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=2026-01-01&to=2026-02-01&resolution=interval", "resolution")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=2026-01-01&to=2026-02-01&resolution=minute", "resolution")]
    [InlineData("/api/v1/alerts?limit=abc", "limit")]
    [InlineData("/api/v1/alerts?severity=7", "severity")]
    [InlineData("/api/v1/alerts?severity=info,warning", "severity")] // not enum flags
    [InlineData("/api/v1/alerts?severity=%20critical", "severity")]
    [InlineData("/api/v1/alerts?active=maybe", "active")]
    [InlineData("/api/v1/alerts?building=%3Cscript%3E", "building")]
    [InlineData("/api/v1/meters?building=..%2F..%2Fetc", "building")]
    [InlineData("/api/v1/assessments/admin-main?reporting=2026-01-01", "reporting")]
    [InlineData("/api/v1/assessments/admin-main?kind=plutonium", "kind")]
    [InlineData("/api/v1/assessments/admin-main?baseline=0002-01-01..0002-01-31&reporting=9998-01-01..9998-12-31", "reporting")]
    [InlineData("/api/v1/assessments/admin-main?baseline=0002-01-01..0002-01-31", "baseline")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=0001-01-01&to=2026-01-01", "from")]
    [InlineData("/api/v1/consumption?series=region/320117/electricity&from=2026-01-01&to=9999-12-31", "to")]
    public async Task Bad_input_is_a_400_problem_naming_the_parameter(string path, string parameter)
    {
        using var client = service.Client(service.ViewerKey);
        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.StartsWith(parameter + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_and_malformed_query_strings_get_400s_not_500s()
    {
        using var client = service.Client(service.ViewerKey);
        using (var response = await client.GetAsync("/api/v1/site?pad=" + new string('a', 3000), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        foreach (var path in new[] { "/api/v1/alerts?limit=%ZZ", "/api/v1/consumption?series=%00&from=%FF&to=%C0%AF", "/api/v1/alerts?severity=critical&severity=info", "/api/v1/consumption?" + string.Join('&', Enumerable.Repeat("series=x", 200)) })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Report_downloads_serve_archived_files_and_nothing_outside_the_report_folders()
    {
        using var client = service.Client(service.ViewerKey);
        var reports = await client.GetFromJsonAsync<JsonElement>("/api/v1/reports", Ct);
        var pdf = reports.EnumerateArray().First(r => r.GetProperty("format").GetString() == "pdf");
        var bytes = await client.GetByteArrayAsync(pdf.GetProperty("download").GetString(), Ct);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(pdf.GetProperty("bytes").GetInt64(), bytes.Length);

        // A row of the index that points outside (a tampered database, or a report written elsewhere) is not served.
        await using (var connection = new SqliteConnection($"Data Source={service.Database};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO report_archive (id, period, scope, format, path, sha256, bytes, generated_ms) VALUES (9001, '1999-01', 'region', 'csv', '/etc/passwd', '', 1, 0)";
            await insert.ExecuteNonQueryAsync(Ct);
        }

        foreach (var path in new[] { "/api/v1/reports/9001/download", "/api/v1/reports/..%2F..%2F..%2Fetc%2Fpasswd/download", "/api/v1/reports/%2E%2E/download",
            "/static/..%2F..%2Fappsettings.json", "/static/vendor/../../appsettings.json", "/static/%2e%2e/%2e%2e/site.yaml" })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    private DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(service.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    [Fact]
    public async Task The_site_endpoint_returns_the_hierarchy_with_each_buildings_series_and_names_as_data()
    {
        using var client = service.Client(service.ViewerKey);
        var site = await client.GetFromJsonAsync<JsonElement>("/api/v1/site", Ct);

        Assert.Equal("320117", site.GetProperty("region").GetProperty("code").GetString());
        var admin = site.GetProperty("institutions")[0].GetProperty("buildings")[0];
        Assert.Equal(ServiceFixture.HostileName, admin.GetProperty("name").GetString()); // data, returned as data
        Assert.Contains("building/admin-main/electricity", admin.GetProperty("series").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task The_meters_endpoint_lists_all_26_meters_with_a_status()
    {
        using var client = service.Client(service.ViewerKey);
        var meters = await client.GetFromJsonAsync<JsonElement>("/api/v1/meters", Ct);

        Assert.Equal(26, meters.GetArrayLength());
        Assert.All(meters.EnumerateArray(), m => Assert.Contains(m.GetProperty("status").GetString(), new[] { "ok", "late", "offline" }));
    }

    [Fact]
    public async Task The_overview_has_a_value_per_day_of_the_month_that_sum_to_its_total_and_counts_every_meter_and_open_alert()
    {
        using var client = service.Client(service.ViewerKey);
        var overview = await client.GetFromJsonAsync<JsonElement>("/api/v1/overview", Ct);
        var open = await client.GetFromJsonAsync<JsonElement>("/api/v1/alerts?active=true&limit=1000", Ct);

        var daily = overview.GetProperty("dailyKgce").EnumerateArray().ToList();
        Assert.Equal(DateTime.DaysInMonth(Today.Year, Today.Month), daily.Count); // 30 in November 2026
        Assert.Equal(Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), overview.GetProperty("today").GetString());
        Assert.True(daily.Take(Today.Day - 1).All(d => d.ValueKind == JsonValueKind.Number), "the history covers every day before today");
        Assert.True(daily.Skip(Today.Day).All(d => d.ValueKind == JsonValueKind.Null), "no day after today has a value");
        Assert.Equal(daily.Where(d => d.ValueKind == JsonValueKind.Number).Sum(d => d.GetDouble()), overview.GetProperty("monthToDateKgce").GetDouble(), 6);
        Assert.Equal(4, overview.GetProperty("buildings").GetArrayLength());
        Assert.Equal(26, overview.GetProperty("meters").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(open.GetArrayLength(), overview.GetProperty("openAlerts").GetInt32());
    }

    [Fact]
    public async Task A_buildings_page_has_31_days_48_hours_and_the_meters_of_that_building_only()
    {
        using var client = service.Client(service.ViewerKey);
        var building = await client.GetFromJsonAsync<JsonElement>("/api/v1/buildings/admin-main", Ct);
        var meters = await client.GetFromJsonAsync<JsonElement>("/api/v1/meters?building=admin-main", Ct);

        Assert.Equal(31, building.GetProperty("daily").GetArrayLength());
        Assert.Equal(Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), building.GetProperty("daily")[30].GetProperty("day").GetString());
        Assert.Equal(48, building.GetProperty("hourly").GetArrayLength());
        Assert.Equal(meters.EnumerateArray().Select(m => m.GetProperty("id").GetString()).Order(), building.GetProperty("meters").EnumerateArray().Select(m => m.GetProperty("id").GetString()).Order());
        var shares = building.GetProperty("subItems").EnumerateArray().Select(i => i.GetProperty("share").GetDouble()).ToList();
        Assert.NotEmpty(shares);
        Assert.Equal(1, shares.Sum(), 6);

        using var missing = await client.GetAsync("/api/v1/buildings/nowhere", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Daily_consumption_of_the_region_covers_30_days_and_totals_its_rows()
    {
        using var client = service.Client(service.ViewerKey);
        var consumption = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/consumption?series=region/320117/electricity&from={Today.AddDays(-30):yyyy-MM-dd}&to={Today:yyyy-MM-dd}", Ct);

        var rows = consumption.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(30, rows.Count); // the history covers the 35 days before today
        Assert.Equal(rows.Sum(r => r.GetProperty("amount").GetDouble()), consumption.GetProperty("total").GetDouble(), 6);
        Assert.InRange(consumption.GetProperty("estimatedShare").GetDouble(), 0, 1);
        Assert.Equal("kWh", consumption.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task A_day_of_a_meters_intervals_is_96_quarter_hours()
    {
        using var client = service.Client(service.ViewerKey);
        var intervals = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/consumption?series=adm-main-total&resolution=interval&from={Today.AddDays(-2):yyyy-MM-dd}&to={Today.AddDays(-1):yyyy-MM-dd}", Ct);

        Assert.Equal(96, intervals.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task The_same_alerts_come_in_English_and_in_Chinese()
    {
        using var client = service.Client(service.ViewerKey);
        var english = await client.GetFromJsonAsync<JsonElement>("/api/v1/alerts?lang=en", Ct);
        var chinese = await client.GetFromJsonAsync<JsonElement>("/api/v1/alerts", Ct);

        Assert.True(english.GetArrayLength() > 0);
        Assert.Equal(chinese.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()), english.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        Assert.All(english.EnumerateArray().Zip(chinese.EnumerateArray()), p => Assert.NotEqual(p.Second.GetProperty("summary").GetString(), p.First.GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task An_institutions_indicators_are_there_after_the_rollup_and_an_unknown_one_is_404()
    {
        using var client = service.Client(service.ViewerKey);

        // The fixture's rollup command computed them through the start of today.
        var indicators = await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators/lishui-admin", Ct);
        Assert.Equal(Today.Year, indicators.GetProperty("year").GetInt32());
        Assert.True(indicators.GetProperty("kgce").GetDouble() > 0);
        using var noInstitution = await client.GetAsync("/api/v1/indicators/nowhere", Ct);
        Assert.Equal(HttpStatusCode.NotFound, noInstitution.StatusCode);
    }

    [Fact]
    public async Task An_assessment_on_35_days_of_history_says_why_it_has_no_baseline()
    {
        using var client = service.Client(service.ViewerKey);
        var assessment = await client.GetFromJsonAsync<JsonElement>("/api/v1/assessments/admin-main", Ct);

        Assert.Equal("electricity", assessment.GetProperty("kind").GetString());
        Assert.True(!assessment.TryGetProperty("model", out var model) || model.ValueKind == JsonValueKind.Null, assessment.ToString());
        Assert.NotEmpty(assessment.GetProperty("notes").EnumerateArray());
    }

    [Fact]
    public async Task Api_answers_are_not_cached_and_health_does_not_say_where_the_database_is()
    {
        using var client = service.Client(service.ViewerKey);
        using var site = await client.GetAsync("/api/v1/site", Ct);
        using var health = await service.Client().GetAsync("/health", Ct);

        Assert.True(site.Headers.CacheControl?.NoStore, site.Headers.CacheControl?.ToString());
        var text = await health.Content.ReadAsStringAsync(Ct);
        Assert.Contains("schemaVersion", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetFileName(service.Database), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_consoles_assets_carry_an_etag_and_a_repeat_request_is_a_304()
    {
        using var client = service.Client();
        using var first = await client.GetAsync("/static/vendor/uplot/uPlot.iife.min.js", Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        var etag = Assert.IsType<System.Net.Http.Headers.EntityTagHeaderValue>(first.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/static/vendor/uplot/uPlot.iife.min.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(again, Ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_requests_and_responses()
    {
        using var client = service.Client();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/site", "/api/v1/consumption", "/api/v1/alerts/{id}/ack", "/api/v1/reports/{id}/download" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("ConsumptionDto", out var consumption));
        Assert.True(consumption.GetProperty("properties").TryGetProperty("estimatedShare", out _));
        Assert.True(schemas.TryGetProperty("AlertDto", out _));
        using var page = await client.GetAsync("/openapi/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task The_console_escapes_names_from_the_site_file()
    {
        using var browser = await service.SignedInAsync(ServiceFixture.Viewer);
        using var admin = await service.SignedInAsync(ServiceFixture.Admin);
        foreach (var page in new[]
        {
            "/", "/buildings/admin-main", "/alerts?state=all", "/rankings?year=2026", "/scorecard?year=2026", "/scorecard/lishui-no2-school?year=2026",
            "/submission?year=2026", "/savings", "/savings/admin-main", "/meters", "/flow?period=2026-11", "/flow?period=2026-11&unit=water",
        })
        {
            var html = await browser.GetStringAsync(page, Ct);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        }

        // The admin's pages show people's names, which anyone an admin adds may choose: the fixture's admin is one.
        foreach (var page in new[] { "/admin/users", "/admin/audit" })
        {
            var html = await admin.GetStringAsync(page, Ct);
            Assert.DoesNotContain("<img src=x onerror=alert(2)>", html, StringComparison.Ordinal);
            Assert.True(page != "/admin/users" || html.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", StringComparison.Ordinal), html);
        }
    }

    [Fact]
    public async Task A_console_form_posted_without_its_token_changes_nothing_even_with_an_operators_session()
    {
        using var browser = await service.SignedInAsync(ServiceFixture.Officer);
        using var api = service.Client(service.ViewerKey);
        var open = (await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts?active=true", Ct)).EnumerateArray().First(a => a.GetProperty("state").GetString() == "open");
        var id = open.GetProperty("id").GetInt64();

        using var forged = await browser.PostAsync($"/alerts/{id}/ack", new FormUrlEncodedContent(new Dictionary<string, string> { ["back"] = "/alerts" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("open", (await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}", Ct)).GetProperty("state").GetString());
        using var anonymous = await service.Client().PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = ServiceFixture.Officer.Name, ["password"] = ServiceFixture.Officer.Password }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode); // a sign-in form from elsewhere is refused too
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [Fact]
    public async Task A_backup_taken_while_the_service_runs_is_a_whole_database()
    {
        var backup = Path.Combine(service.Directory, "backup", "em-backup.db");
        await using (var process = ChildProcess.EnergyMonitor(["backup", "--settings", service.Settings, "--to", backup], service.Directory))
        {
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, process.Output);
        }

        await using var connection = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        async Task<object?> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(Ct);
        }

        Assert.Equal("ok", await Scalar("PRAGMA integrity_check"));
        Assert.Equal("delete", await Scalar("PRAGMA journal_mode"));
        Assert.True((long)(await Scalar("SELECT count(*) FROM readings"))! > 35 * 96 * 24);
        Assert.True((long)(await Scalar("SELECT count(*) FROM alerts"))! > 0);
        Assert.False(File.Exists(backup + "-wal"));
        await connection.CloseAsync();

        // Restore: the backup put in a database's place is a working store for the commands and the service.
        var restored = Directory.CreateDirectory(Path.Combine(service.Directory, "restored")).FullName;
        File.Copy(backup, Path.Combine(restored, "em.db"));
        File.Copy(Path.Combine(service.Directory, "site.yaml"), Path.Combine(restored, "site.yaml"));
        Directory.CreateDirectory(Path.Combine(restored, "templates"));
        foreach (var template in Directory.GetFiles(Path.Combine(service.Directory, "templates")))
        {
            File.Copy(template, Path.Combine(restored, "templates", Path.GetFileName(template)));
        }

        await File.WriteAllTextAsync(Path.Combine(restored, "appsettings.json"), """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "em.db" } } } }""", Ct);
        await using var list = ChildProcess.EnergyMonitor(["alerts", "list", "--format", "json", "--settings", Path.Combine(restored, "appsettings.json")], restored);
        Assert.True(await list.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct) == 0, list.Output);
        Assert.Contains("gateway-offline", list.Output);
    }
}
