using System.Collections.Concurrent;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Notifications;

/// <summary>A channel's state as health and metrics show it.</summary>
public sealed record ChannelStatus(string Channel, DateTimeOffset? LastDelivered, DateTimeOffset? LastFailed, string? LastError, int ConsecutiveFailures, long Delivered, long Failed, long Digests);

/// <summary>Each channel's latest status; one per service, written by the dispatcher, read by health.</summary>
public sealed class ChannelStatuses
{
    private readonly ConcurrentDictionary<string, ChannelStatus> _statuses = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ChannelStatus> All => [.. _statuses.Values.OrderBy(s => s.Channel, StringComparer.Ordinal)];

    public ChannelStatus Of(string channel) => _statuses.GetValueOrDefault(channel) ?? new ChannelStatus(channel, null, null, null, 0, 0, 0, 0);

    internal void Set(ChannelStatus status) => _statuses[status.Channel] = status;
}

/// <summary>
/// Drains each channel's notification queue in the store on its own loop, so a channel that is down delays only its
/// own alerts. Within the channel's rate each alert is one message; when more are due than the rate allows, they go as
/// one digest. A failed send stays queued and is retried with back-off (or when the platform asked), never dropped.
/// </summary>
public sealed class AlertDispatcher(IAlertStore store, IReadOnlyList<IAlertChannel> channels, ChannelStatuses statuses, TimeProvider time, ILogger logger)
{
    /// <summary>How often an idle channel looks for new notifications.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between attempts of a failing channel.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(30);

    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(channels.Select(c => RunChannelAsync(c, cancellationToken)));

    /// <summary>One round for one channel: what is due now, sent within the rate. Returns how many notifications were settled.</summary>
    public async Task<int> DeliverDueAsync(IAlertChannel channel, TokenBucket bucket, CancellationToken cancellationToken)
    {
        var due = await store.DueAsync(channel.Name, time.GetUtcNow(), 200, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0 || bucket.Available == 0)
        {
            return 0;
        }

        if (channel.TakesBatches || due.Count > bucket.Available)
        {
            bucket.TryTake();
            return await SendAsync(channel, due, digest: !channel.TakesBatches && due.Count > 1, cancellationToken).ConfigureAwait(false);
        }

        var settled = 0;
        foreach (var notification in due)
        {
            if (!bucket.TryTake())
            {
                break;
            }

            var done = await SendAsync(channel, [notification], digest: false, cancellationToken).ConfigureAwait(false);
            if (done == 0)
            {
                break; // the channel failed: the rest wait for its retry time
            }

            settled += done;
        }

        return settled;
    }

    private async Task RunChannelAsync(IAlertChannel channel, CancellationToken cancellationToken)
    {
        var bucket = new TokenBucket(channel.PerMinute, time);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var settled = await DeliverDueAsync(channel, bucket, cancellationToken).ConfigureAwait(false);
                var wait = settled > 0 ? bucket.UntilNext() : PollInterval;
                await Task.Delay(wait < PollInterval ? PollInterval : wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The store itself failed (disk full, locked): keep the loop, the notifications are still queued.
                logger.LogError(e, "Alert channel {Channel}: dispatch round failed", channel.Name);
                await Task.Delay(PollInterval * 5, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> SendAsync(IAlertChannel channel, IReadOnlyList<Notification> batch, bool digest, CancellationToken cancellationToken)
    {
        var result = await channel.SendAsync(batch, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var status = statuses.Of(channel.Name);
        var ids = batch.Select(n => n.Id).ToList();
        if (result.Delivered)
        {
            await store.MarkDeliveredAsync(ids, now, cancellationToken).ConfigureAwait(false);
            statuses.Set(status with { LastDelivered = now, ConsecutiveFailures = 0, Delivered = status.Delivered + batch.Count, Digests = status.Digests + (digest ? 1 : 0) });
            logger.LogInformation("Alert channel {Channel}: delivered {Count} notification(s){Digest}", channel.Name, batch.Count, digest ? " as one digest" : "");
            return batch.Count;
        }

        var attempts = batch.Max(n => n.Attempts) + 1;
        var backoff = result.RetryAfter ?? TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 5 * Math.Pow(2, Math.Min(attempts - 1, 16))));
        await store.MarkFailedAsync(ids, $"{result.ErrorCode}: {result.Detail}", now + backoff, cancellationToken).ConfigureAwait(false);
        statuses.Set(status with { LastFailed = now, LastError = $"{result.ErrorCode}: {result.Detail}", ConsecutiveFailures = status.ConsecutiveFailures + 1, Failed = status.Failed + batch.Count });
        logger.LogWarning("Alert channel {Channel}: {Count} notification(s) not delivered ({Code}: {Detail}); retrying in {Backoff}",
            channel.Name, batch.Count, result.ErrorCode, result.Detail, backoff);
        return 0;
    }
}
