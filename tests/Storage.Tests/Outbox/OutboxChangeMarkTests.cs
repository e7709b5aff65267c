using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Outbox;
using EnergyMonitor.Storage.Tests.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Storage.Tests.Outbox;

/// <summary>
/// The store in front of a remote (InfluxDB in the service) raises a mark when the outbox has delivered a batch,
/// not when it queued it: consumption computed earlier would read a remote that does not have the readings yet.
/// Here the remote is a second embedded store; the integration tests run the same contract with InfluxDB behind it.
/// </summary>
public class OutboxChangeMarkTests : ChangeMarkContract, IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<(DurableOutbox Outbox, CancellationTokenSource Stop, Task Run)> _running = [];

    /// <summary>The remote the outbox delivers to.</summary>
    protected virtual async Task<IReadingStore> CreateRemoteAsync() =>
        new SqliteReadingStore(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"remote-{Guid.NewGuid():N}.db") }, TestContext.Current.CancellationToken));

    protected override async Task<(IReadingStore, IConsumptionStore, Func<Task>)> CreateAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"{Guid.NewGuid():N}.db") }, ct);
        var remote = await CreateRemoteAsync();
        var options = new OutboxOptions { BatchSize = 50, BatchDelay = TimeSpan.FromMilliseconds(10), RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(50) };
        var outbox = await DurableOutbox.OpenAsync(database, remote, options, TimeProvider.System, NullLogger.Instance, ct);
        var stop = new CancellationTokenSource();
        _running.Add((outbox, stop, outbox.RunAsync(stop.Token)));

        async Task Settle()
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await outbox.StatusAsync(ct)).Depth > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, ct);
            }
        }

        return (new OutboxReadingStore(outbox, remote), new SqliteConsumptionStore(database), Settle);
    }

    [Fact]
    public async Task A_queued_batch_raises_no_mark_until_it_is_delivered()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File("held.db") }, ct);
        using var outbox = await DurableOutbox.OpenAsync(database, await CreateRemoteAsync(), new OutboxOptions(), TimeProvider.System, NullLogger.Instance, ct);
        var consumption = new SqliteConsumptionStore(database);

        // No dispatcher runs: the readings wait in the outbox.
        await outbox.EnqueueAsync([new Core.Domain.Reading(new Core.Domain.MeterId("m1"), new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), 1)], ct);

        Assert.Empty(await consumption.ChangesAsync(ct));
        Assert.Equal(1, (await outbox.StatusAsync(ct)).Depth);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (outbox, stop, run) in _running)
        {
            await stop.CancelAsync();
            await run;
            outbox.Dispose();
            stop.Dispose();
        }

        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
