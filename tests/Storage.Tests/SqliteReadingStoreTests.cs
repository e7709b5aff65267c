using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Tests.Contracts;

namespace EnergyMonitor.Storage.Tests;

public sealed class SqliteReadingStoreTests : ReadingStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IReadingStore> CreateEmptyStoreAsync()
    {
        var database = await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File("store.db") }, TestContext.Current.CancellationToken);
        return new SqliteReadingStore(database);
    }

    public void Dispose() => _dir.Dispose();
}
