using EnergyMonitor.Core.Ports;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Tests.Contracts;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>The store contract against a real InfluxDB 1.6.7 on loopback, through the v1 wire path; a fresh database per test.</summary>
public sealed class InfluxV1ContractTests(InfluxDbServer server) : ReadingStoreContract, IClassFixture<InfluxDbServer>, IDisposable
{
    private readonly List<InfluxV1ReadingStore> _stores = [];

    protected override async Task<IReadingStore> CreateEmptyStoreAsync()
    {
        var store = new InfluxV1ReadingStore(new InfluxOptions { Url = server.Url, Database = "contract_" + Guid.NewGuid().ToString("N")[..12] });
        _stores.Add(store);
        await store.EnsureDatabaseAsync(TestContext.Current.CancellationToken);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
    }
}
