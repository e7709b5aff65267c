using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Collector.Hosting;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Collector.Cli;

/// <summary>
/// The configured store for a one-shot command: with InfluxDB, the outbox dispatcher runs alongside and
/// <see cref="FinishAsync"/> waits until everything written has been delivered. Warnings (an unreachable
/// server, retries) go to the console on one line each.
/// </summary>
internal sealed class CliStore : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly StoreComposition _stores;
    private readonly CancellationTokenSource _stop;
    private readonly Task _dispatcher;

    private CliStore(ILoggerFactory loggers, StoreComposition stores, CancellationTokenSource stop, Task dispatcher)
    {
        _loggers = loggers;
        _stores = stores;
        _stop = stop;
        _dispatcher = dispatcher;
    }

    public IReadingStore Store => _stores.Store;

    public StoreComposition Composition => _stores;

    public static async Task<CliStore> OpenAsync(ServiceSettings settings, SiteModel site, string settingsFile, CancellationToken cancellationToken)
    {
        var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        try
        {
            var stores = await StoreComposition.OpenAsync(settings, site, settingsFile, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var dispatcher = stores.Outbox?.RunAsync(stop.Token) ?? Task.CompletedTask;
            if (stores.SetUpRemote is { } setUp)
            {
                await setUp(cancellationToken).ConfigureAwait(false);
            }

            return new CliStore(loggers, stores, stop, dispatcher);
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the outbox to empty, reporting its depth each second; a no-op for the embedded store.</summary>
    public async Task FinishAsync(TextWriter output, CancellationToken cancellationToken)
    {
        if (_stores.Outbox is { } outbox)
        {
            while ((await outbox.StatusAsync(cancellationToken).ConfigureAwait(false)) is { Depth: > 0 } status)
            {
                await output.WriteLineAsync($"delivering: {status.Depth} readings still in the outbox (remote {(status.RemoteUp ? "up" : "down")})").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _dispatcher.ConfigureAwait(false);
        _stop.Dispose();
        await _stores.DisposeAsync().ConfigureAwait(false);
        _loggers.Dispose();
    }
}
