using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Collector.Hosting;

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
        var dispatcher = outbox.RunAsync(stoppingToken);
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

        await Task.WhenAll(setUp, dispatcher).ConfigureAwait(false);
    }

    private async Task SetUpDatabaseAsync(CancellationToken cancellationToken)
    {
        if (stores.SetUpRemote is not { } setUp)
        {
            return;
        }

        for (var delay = TimeSpan.FromSeconds(1); !cancellationToken.IsCancellationRequested; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(5).Ticks)))
        {
            try
            {
                await setUp(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Cannot set up the InfluxDB database or bucket yet ({Error}); readings wait in the outbox; next try in {Delay}", e.Message, delay);
            }

            try
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
