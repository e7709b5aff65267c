using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// Renews this instance's leases every renewal interval and publishes what it holds (<see cref="HeldWork"/>); on a
/// clean stop it gives them all up, so that another instance takes them over at its next round rather than after the
/// lease.
/// </summary>
/// <remarks>
/// While the database does not answer, the instance keeps what it held: collection goes on into the local outbox. If
/// another instance reached the database meanwhile and claimed a gateway whose lease ran out, both read it until this
/// one's next successful round drops it; a reading is keyed by meter and instant, so it is still stored once.
/// </remarks>
internal sealed class WorkLeaseService(IWorkLeases leases, HeldWork held, IReadOnlyList<string> work, TimeSpan renewEvery, TimeProvider time, ILogger<WorkLeaseService> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first round before the pollers start, so that an instance joining others does not begin by polling nothing.
        await RoundAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        held.Set(new HashSet<string>(), time.GetUtcNow());
        try
        {
            await leases.ReleaseAllAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Gave up every lease");
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogWarning("Could not give the leases up ({Error}); they end by themselves", e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(renewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RoundAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            var before = held.Items;
            var now = await leases.RenewAsync(work, cancellationToken).ConfigureAwait(false);
            held.Set(now, time.GetUtcNow());
            if (!now.SetEquals(before))
            {
                logger.LogInformation("Holding {Count} of {Total}: {Held}", now.Count, work.Count, string.Join(", ", now.Order(StringComparer.Ordinal)));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogWarning("Lease renewal failed ({Error}); keeping the {Count} held until the database answers", e.Message, held.Items.Count);
        }
    }
}
