using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Tests.Contracts;

namespace EnergyMonitor.Storage.Tests;

public sealed class SqliteConsumptionStoreTests : ConsumptionStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IConsumptionStore> CreateEmptyStoreAsync() =>
        new SqliteConsumptionStore(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"{Guid.NewGuid():N}.db") }, TestContext.Current.CancellationToken));

    public void Dispose() => _dir.Dispose();
}

/// <summary>The embedded store raises its marks in the transaction that writes the readings.</summary>
public sealed class SqliteChangeMarkTests : ChangeMarkContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<(IReadingStore, IConsumptionStore, Func<Task>)> CreateAsync()
    {
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"{Guid.NewGuid():N}.db") }, TestContext.Current.CancellationToken);
        return (new SqliteReadingStore(database), new SqliteConsumptionStore(database), () => Task.CompletedTask);
    }

    public void Dispose() => _dir.Dispose();
}
