using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Notifications;

/// <summary>
/// A generic webhook: the batch as the JSON of docs/ALERTS.md, signed so the receiver can tell it came from us and
/// was not replayed: <c>X-EnergyMonitor-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>, with
/// the Unix timestamp in seconds in <c>X-EnergyMonitor-Timestamp</c>. Any 2xx is delivered; anything else is retried.
/// </summary>
public sealed class WebhookChannel(string name, Uri url, string? secret, int perMinute, HttpClient http, TimeProvider time) : IAlertChannel
{
    public const string SignatureHeader = "X-EnergyMonitor-Signature";
    public const string TimestampHeader = "X-EnergyMonitor-Timestamp";

    public string Name => name;

    public int PerMinute => perMinute;

    public bool TakesBatches => true;

    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    public async Task<DeliveryResult> SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        var body = AlertEvent.Serialize(notifications);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(TimestampHeader, timestamp);
        if (secret is not null)
        {
            request.Headers.Add(SignatureHeader, Sign(secret, timestamp, body));
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return DeliveryResult.Ok;
            }

            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Failed(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), Utf8Limit.Truncate(detail, 300), RetryAfter(response.Headers.RetryAfter));
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

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header?.Delta;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
