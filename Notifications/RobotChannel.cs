using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Notifications;

/// <summary>
/// A group robot of WeCom (企业微信) or DingTalk (钉钉): a markdown message per alert (or one digest), cut to the
/// platform's byte limit, and the platform's errcode read from the answer, since both answer HTTP 200 on failure.
/// </summary>
public abstract class RobotChannel(string name, int perMinute, HttpClient http, AlertText text) : IAlertChannel
{
    public string Name => name;

    public int PerMinute => perMinute;

    public bool TakesBatches => false;

    /// <summary>The markdown field's limit in UTF-8 bytes.</summary>
    protected abstract int MaxBytes { get; }

    // One instance for the process: options build their serialization metadata once and are read-only after first use.
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected abstract Uri Endpoint();

    protected abstract JsonObject Body(AlertMessage message, string markdown);

    /// <summary>How long to wait after a platform error code, or null to back off by attempts.</summary>
    protected abstract TimeSpan? RetryAfter(int errcode);

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        var message = notifications.Count == 1 ? text.Single(notifications[0]) : text.Digest(notifications);
        var marker = "\n…";
        var markdown = Utf8Limit.Truncate(message.Markdown, MaxBytes, marker);
        var body = Body(message, markdown).ToJsonString(RelaxedJson);
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(Endpoint(), content, cancellationToken).ConfigureAwait(false);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return DeliveryResult.Failed(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), Utf8Limit.Truncate(answer, 300));
            }

            var (code, detail) = ErrCode(answer);
            return code == 0 ? DeliveryResult.Ok : DeliveryResult.Failed($"errcode {code}", detail, RetryAfter(code));
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Failed("unreachable", e.Message);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Failed("timeout", e.Message);
        }
    }

    private static (int Code, string Detail) ErrCode(string answer)
    {
        try
        {
            var node = JsonNode.Parse(answer);
            return (node?["errcode"]?.GetValue<int>() ?? -1, node?["errmsg"]?.GetValue<string>() ?? answer);
        }
        catch (JsonException)
        {
            return (-1, Utf8Limit.Truncate(answer, 300));
        }
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// WeCom group robot (docs/DOMAIN.md#alert-channels): <c>POST …/cgi-bin/webhook/send?key=KEY</c> with
/// <c>{"msgtype":"markdown","markdown":{"content":…}}</c>, content at most 4,096 bytes, 20 messages a minute;
/// errcode 45009 is the rate limit (wait a minute), 93000 an invalid key.
/// </summary>
public sealed class WeComChannel(string name, Uri url, int perMinute, HttpClient http, AlertText text) : RobotChannel(name, perMinute, http, text)
{
    public const int ContentBytes = 4096;

    protected override int MaxBytes => ContentBytes;

    protected override Uri Endpoint() => url;

    protected override JsonObject Body(AlertMessage message, string markdown) =>
        new() { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = markdown } };

    protected override TimeSpan? RetryAfter(int errcode) => errcode == 45009 ? TimeSpan.FromMinutes(1) : null;
}

/// <summary>
/// DingTalk custom robot (docs/DOMAIN.md#alert-channels): with 加签, <c>&amp;timestamp=ms&amp;sign=…</c> where sign is
/// Base64(HmacSHA256(secret, timestamp + "\n" + secret)) URL-encoded once; markdown with title and text at most
/// 20,000 bytes; 20 messages a minute, and errcode 130101 (too fast) throttles the robot for 10 minutes.
/// </summary>
public sealed class DingTalkChannel(string name, Uri url, string? secret, int perMinute, HttpClient http, AlertText text, TimeProvider time) : RobotChannel(name, perMinute, http, text)
{
    public const int TextBytes = 20_000;

    protected override int MaxBytes => TextBytes;

    public static string Sign(string secret, long timestampMs)
    {
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestampMs.ToString(CultureInfo.InvariantCulture)}\n{secret}"));
        return WebUtility.UrlEncode(Convert.ToBase64String(signature));
    }

    protected override Uri Endpoint()
    {
        if (secret is null)
        {
            return url;
        }

        var ms = time.GetUtcNow().ToUnixTimeMilliseconds();
        var separator = url.Query.Length > 0 ? "&" : "?";
        return new Uri($"{url}{separator}timestamp={ms.ToString(CultureInfo.InvariantCulture)}&sign={Sign(secret, ms)}");
    }

    protected override JsonObject Body(AlertMessage message, string markdown) =>
        new() { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["title"] = Utf8Limit.Truncate(message.Title, 300), ["text"] = markdown } };

    protected override TimeSpan? RetryAfter(int errcode) => errcode == 130101 ? TimeSpan.FromMinutes(10) : null;
}
