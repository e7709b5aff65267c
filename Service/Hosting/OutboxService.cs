using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// Delivers the outbox to the remote store for the life of the service, sets the database up once the server
/// answers, and reports the outbox's state every minute.
/// </summary>
internal sealed class OutboxService(StoreComposition stores, TimeProvider time, ILogger<OutboxService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (stores.Outbox is not { } outbox)
        {
            return;
        }

        var setUp = SetUpDatabaseAsync(stoppingToken);
        using var dispatch = new CancellationTokenSource();
        var dispatcher = outbox.RunAsync(dispatch.Token);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var s = await outbox.StatusAsync(stoppingToken).ConfigureAwait(false);
                logger.LogInformation(
                    "Outbox: remote {State}, {Depth} waiting ({Bytes} bytes, oldest {Age}), delivered {Delivered}, retried {Retried}, rejected {Rejected}, dropped {Dropped}",
                    s.RemoteUp ? "up" : "down", s.Depth, s.Bytes, s.OldestAge, s.Delivered, s.Retried, s.Rejected, s.Dropped);
            }
        }
        catch (OperationCanceledException)
        {
        }

        // Stopping: a reachable remote store gets a last chance to take what waits, within DrainOnStop; what is
        // left stays on disk and goes after the restart. Either way nothing is lost.
        var deadline = time.GetUtcNow() + DrainOnStop;
        var status = await outbox.StatusAsync(CancellationToken.None).ConfigureAwait(false);
        while (status is { Depth: > 0, RemoteUp: true } && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, CancellationToken.None).ConfigureAwait(false);
            status = await outbox.StatusAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await dispatch.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(setUp, dispatcher).ConfigureAwait(false);
        if (status.Depth > 0)
        {
            logger.LogWarning("Stopping with {Depth} readings in the outbox (remote {State}); they are delivered after the restart", status.Depth, status.RemoteUp ? "up" : "down");
        }
    }

    /// <summary>How long a stop waits for the outbox to drain into a reachable remote store (within ServiceHost.ShutdownTimeout).</summary>
    public static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Sets the remote database up, retrying for as long as the service runs: 1 s, doubling to 5 min between tries.
    /// Readings wait in the outbox meanwhile, so there is no reason to give up.
    /// </summary>
    private async Task SetUpDatabaseAsync(CancellationToken cancellationToken)
    {
        if (stores.SetUpRemote is not { } setUp)
        {
            return;
        }

        var retry = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromMinutes(5),
            UseJitter = false,
            OnRetry = a =>
            {
                logger.LogWarning("Cannot set up the InfluxDB database or bucket yet ({Error}); readings wait in the outbox; next try in {Delay}", a.Outcome.Exception?.Message, a.RetryDelay);
                return ValueTask.CompletedTask;
            },
        }).Build();
        try
        {
            await retry.ExecuteAsync(async ct => await setUp(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before the server answered: the outbox keeps what waits.
        }
    }
}
