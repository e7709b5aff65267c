using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Notifications;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EnergyMonitor.Integration.Tests.Alerting;

/// <summary>
/// The HTTP channels against a real local listener that checks what the platforms check (the webhook's HMAC,
/// DingTalk's 加签) and answers with the platforms' own error bodies; the dispatcher with a real alert store.
/// </summary>
public sealed class AlertChannelTests : IDisposable
{
    private const string Secret = "SEC0123456789abcdef";
    private static readonly DateTimeOffset T0 = new(2026, 6, 3, 7, 0, 0, TimeSpan.FromHours(8));
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AlertText Text => new(SiteFixture.Load("", "- { id: w1, name: 主楼总水表, kind: water, mqtt: { topic: t/w1 } }").Model, Core.Domain.Language.Chinese);

    private static Finding Leak(string subject = "w1", string summary = "主楼总水表疑似漏水") =>
        new("night-leak", subject, AlertSeverity.Warning, "w1", "b1", "inst", T0.AddDays(-2), [new Evidence(new LocalizedText("夜间最小流量（最低）", "lowest night flow"), 0.21, "m3/h", "≤ 0.01")],
            new LocalizedText(summary, "Possible leak"), new LocalizedText("请检查卫生间水箱和阀门。", "Check cisterns and valves."));

    private async Task<SqliteAlertStore> StoreWithAsync(int alerts, params string[] channels)
    {
        var store = new SqliteAlertStore(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"alerts-{Guid.NewGuid():N}.db") }, Ct));
        await store.ApplyAsync([.. Enumerable.Range(0, alerts).Select(i => (AlertChange)new AlertChange.Raise(Leak($"w{i}"), T0, channels))], Ct);
        return store;
    }

    private static Notification Note(Finding finding, NotificationKind kind = NotificationKind.Raised, long id = 1) =>
        new(id, id, "c", kind, T0, 0, new Alert(id, finding, AlertState.Open, T0, T0, null, null, null));

    [Fact]
    public async Task The_webhook_is_signed_with_HMAC_SHA256_over_timestamp_and_body_and_a_wrong_secret_is_refused()
    {
        await using var receiver = new HttpEndpoint(r =>
        {
            var timestamp = r.Headers[WebhookChannel.TimestampHeader];
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + "." + r.Body)));
            return r.Headers.GetValueOrDefault(WebhookChannel.SignatureHeader) == expected ? (200, "{}") : (401, "{\"error\":\"bad signature\"}");
        });
        var good = new WebhookChannel("hook", receiver.Url("/alerts"), Secret, 60, _http, _time);
        var bad = new WebhookChannel("hook", receiver.Url("/alerts"), "not-the-secret", 60, _http, _time);

        var delivered = await good.SendAsync([Note(Leak()), Note(Leak("w2"), NotificationKind.Recovered, 2)], Ct);
        var refused = await bad.SendAsync([Note(Leak())], Ct);

        Assert.True(delivered.Delivered);
        Assert.False(refused.Delivered);
        Assert.Equal("401", refused.ErrorCode);
        using var json = JsonDocument.Parse(receiver.Received.First().Body);
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
        var events = json.RootElement.GetProperty("events");
        Assert.Equal(["raised", "recovered"], events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(0.21, events[0].GetProperty("evidence")[0].GetProperty("value").GetDouble());
        Assert.Equal("主楼总水表疑似漏水", events[0].GetProperty("summary").GetProperty("zh").GetString());
        Assert.Equal(T0.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), receiver.Received.First().Headers[WebhookChannel.TimestampHeader]);
    }

    [Fact]
    public async Task WeCom_gets_markdown_within_4096_bytes_cut_on_a_character_and_its_rate_limit_errcode_delays_the_retry_by_a_minute()
    {
        var answers = new Queue<string>(["{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}", "{\"errcode\":0,\"errmsg\":\"ok\"}"]);
        await using var wecom = new HttpEndpoint(_ => (200, answers.Count > 0 ? answers.Dequeue() : "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        var channel = new WeComChannel("wecom", wecom.Url("/cgi-bin/webhook/send?key=KEY"), 20, _http, Text);
        var store = await StoreWithAsync(0);
        await store.ApplyAsync([new AlertChange.Raise(Leak(summary: string.Concat(Enumerable.Repeat("漏水😀", 1500))), T0, ["wecom"])], Ct);
        var statuses = new ChannelStatuses();
        var dispatcher = new AlertDispatcher(store, [channel], statuses, _time, NullLogger.Instance);
        var bucket = new TokenBucket(20, _time);

        Assert.Equal(0, await dispatcher.DeliverDueAsync(channel, bucket, Ct));
        Assert.Equal("errcode 45009: api freq out of limit", statuses.Of("wecom").LastError);
        Assert.Equal(0, await dispatcher.DeliverDueAsync(channel, bucket, Ct)); // not due again yet
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, await dispatcher.DeliverDueAsync(channel, bucket, Ct));

        Assert.Equal(2, wecom.Received.Count);
        var sent = wecom.Received.Last();
        Assert.Equal("?key=KEY", sent.Query);
        using var json = JsonDocument.Parse(sent.Body);
        Assert.Equal("markdown", json.RootElement.GetProperty("msgtype").GetString());
        var content = json.RootElement.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.InRange(Encoding.UTF8.GetByteCount(content), 3000, WeComChannel.ContentBytes);
        Assert.DoesNotContain('\uFFFD', content);
        Assert.False(char.IsHighSurrogate(content[^1]));
        Assert.EndsWith("…", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DingTalk_signs_the_url_as_the_platform_checks_it_and_a_bad_signature_or_throttling_is_surfaced()
    {
        await using var dingtalk = new HttpEndpoint(r =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(r.Query);
            var ms = long.Parse(query["timestamp"] ?? "0", CultureInfo.InvariantCulture);
            var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{ms}\n{Secret}")));
            var fresh = Math.Abs(ms - T0.ToUnixTimeMilliseconds()) < 3_600_000;
            if (!fresh || query["sign"] != expected)
            {
                return (200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
            }

            return JsonDocument.Parse(r.Body).RootElement.GetProperty("markdown").GetProperty("title").GetString()!.Contains("限流", StringComparison.Ordinal)
                ? (200, "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}")
                : (200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        });

        var right = await new DingTalkChannel("ding", dingtalk.Url("/robot/send?access_token=TOKEN"), Secret, 20, _http, Text, _time).SendAsync([Note(Leak())], Ct);
        var wrong = await new DingTalkChannel("ding", dingtalk.Url("/robot/send?access_token=TOKEN"), "wrong", 20, _http, Text, _time).SendAsync([Note(Leak())], Ct);
        var throttled = await new DingTalkChannel("ding", dingtalk.Url("/robot/send?access_token=TOKEN"), Secret, 20, _http, Text, _time).SendAsync([Note(Leak(summary: "限流测试"))], Ct);

        Assert.True(right.Delivered);
        Assert.Equal("errcode 310000", wrong.ErrorCode);
        Assert.Equal("errcode 130101", throttled.ErrorCode);
        Assert.Equal(TimeSpan.FromMinutes(10), throttled.RetryAfter);
        using var body = JsonDocument.Parse(dingtalk.Received.First().Body);
        Assert.StartsWith("【警告】", body.RootElement.GetProperty("markdown").GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("夜间最小流量（最低）：0.21 m3/h（正常 ≤ 0.01）", body.RootElement.GetProperty("markdown").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_alerts_than_the_robot_may_take_in_a_minute_go_as_one_digest()
    {
        await using var wecom = new HttpEndpoint(_ => (200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        var channel = new WeComChannel("wecom", wecom.Url("/send?key=K"), 20, _http, Text);
        var store = await StoreWithAsync(25, "wecom");
        var statuses = new ChannelStatuses();
        var dispatcher = new AlertDispatcher(store, [channel], statuses, _time, NullLogger.Instance);

        Assert.Equal(25, await dispatcher.DeliverDueAsync(channel, new TokenBucket(20, _time), Ct));

        var message = Assert.Single(wecom.Received);
        Assert.Contains("25 条新告警", message.Body, StringComparison.Ordinal);
        Assert.Equal(1, statuses.Of("wecom").Digests);
        Assert.Empty(await store.DueAsync("wecom", T0.AddDays(1), 100, Ct));
    }

    [Fact]
    public async Task Within_the_rate_each_alert_is_its_own_message()
    {
        await using var wecom = new HttpEndpoint(_ => (200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        var channel = new WeComChannel("wecom", wecom.Url("/send?key=K"), 20, _http, Text);
        var store = await StoreWithAsync(5, "wecom");

        Assert.Equal(5, await new AlertDispatcher(store, [channel], new ChannelStatuses(), _time, NullLogger.Instance).DeliverDueAsync(channel, new TokenBucket(20, _time), Ct));

        Assert.Equal(5, wecom.Received.Count);
        Assert.All(wecom.Received, r => Assert.DoesNotContain("条新告警", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_channel_that_is_down_delays_its_alerts_loses_none_and_does_not_hold_back_the_others()
    {
        var downPort = FreePort.Next();
        await using var up = new HttpEndpoint(_ => (200, "{}"));
        var store = await StoreWithAsync(3, "up", "down");

        // The dispatcher's clock runs from just after the alerts were raised (T0), whatever day the test runs: on the
        // real clock, a run in January 2026 found nothing due yet.
        var clock = new EnergyMonitor.Service.Hosting.ProcessClock.StartedClock(T0.AddMinutes(1));
        var channels = new IAlertChannel[]
        {
            new WebhookChannel("down", new Uri($"http://127.0.0.1:{downPort}/hook"), Secret, 60, _http, clock),
            new WebhookChannel("up", up.Url("/hook"), Secret, 60, _http, clock),
        };
        var statuses = new ChannelStatuses();
        var dispatcher = new AlertDispatcher(store, channels, statuses, clock, NullLogger.Instance) { PollInterval = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(1) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = dispatcher.RunAsync(stop.Token);

        await WaitForAsync(() => up.Received.Count == 1 && statuses.Of("down").ConsecutiveFailures >= 2);
        Assert.Equal(3, (await store.BacklogAsync(Ct))["down"].Pending);
        Assert.Equal("unreachable", statuses.Of("down").LastError?.Split(':')[0]);

        await using (var down = new HttpEndpoint(_ => (200, "{}"), downPort))
        {
            await WaitForAsync(() => !down.Received.IsEmpty);
            await Task.Delay(500, Ct); // time for a duplicate to show if there were one
            var events = down.Received.SelectMany(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("alert").GetInt64())).ToList();
            Assert.Equal(3, events.Count);
            Assert.Equal(3, events.Distinct().Count());
        }

        await stop.CancelAsync();
        await running;
        Assert.Empty(await store.BacklogAsync(Ct));
        Assert.Single(up.Received);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(50, Ct);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }
}
