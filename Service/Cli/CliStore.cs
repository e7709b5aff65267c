using EnergyMonitor.Service.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Cli;

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
    private readonly ServiceProvider _services;

    private CliStore(ILoggerFactory loggers, StoreComposition stores, CancellationTokenSource stop, Task dispatcher, ServiceProvider services)
    {
        _loggers = loggers;
        _stores = stores;
        _stop = stop;
        _dispatcher = dispatcher;
        _services = services;
    }

    /// <summary>The ports and engines, registered as the service registers them.</summary>
    public IServiceProvider Services => _services;

    public static async Task<CliStore> OpenAsync(CliConfig config, CancellationToken cancellationToken)
    {
        var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        try
        {
            var stores = await StoreComposition.OpenAsync(config.Settings, config.Site.Model, config.SettingsFile, config.Time, loggers, cancellationToken).ConfigureAwait(false);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var dispatcher = stores.Outbox?.RunAsync(stop.Token) ?? Task.CompletedTask;
            if (stores.SetUpRemote is { } setUp)
            {
                await setUp(cancellationToken).ConfigureAwait(false);
            }

            var services = new ServiceCollection()
                .AddSingleton(loggers)
                .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
                .AddEnergyMonitorConfiguration(config.Settings, config.Site, config.Time)
                .AddEnergyMonitorStores(stores)
                .AddAcquisition()
                .AddAnalytics(config.Settings)
                .AddAlerting(config.Settings, config.SettingsFile)
                .AddReports(config.Settings, config.SettingsFile, stores.Database.FilePath)
                .BuildServiceProvider();
            return new CliStore(loggers, stores, stop, dispatcher, services);
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
        await _services.DisposeAsync().ConfigureAwait(false);
        await _stores.DisposeAsync().ConfigureAwait(false);
        _loggers.Dispose();
    }
}
