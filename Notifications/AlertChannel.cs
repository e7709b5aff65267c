using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Notifications;

/// <summary>What a channel said about one delivery attempt.</summary>
/// <param name="ErrorCode">The platform's own code (WeCom errcode 45009, DingTalk 130101, an HTTP status, an SMTP reply), for the log and health.</param>
/// <param name="RetryAfter">How long the platform asked to be left alone; null lets the dispatcher back off by attempts.</param>
public sealed record DeliveryResult(bool Delivered, string? ErrorCode = null, string? Detail = null, TimeSpan? RetryAfter = null)
{
    public static DeliveryResult Ok { get; } = new(true);

    public static DeliveryResult Failed(string code, string detail, TimeSpan? retryAfter = null) => new(false, code, detail, retryAfter);
}

/// <summary>
/// An outbound alert channel. The dispatcher hands it what is due: one notification, or (when the channel's rate
/// would be exceeded, or it takes batches) several to be sent as one message.
/// </summary>
public interface IAlertChannel : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Messages a minute the platform accepts.</summary>
    int PerMinute { get; }

    /// <summary>Whether every send carries all that is due (machine endpoints), rather than one message per alert.</summary>
    bool TakesBatches { get; }

    Task<DeliveryResult> SendAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken);
}
