using EnergyMonitor.Core.Ports;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Tests.Outbox;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>The change-mark contract as the service runs it with InfluxDB: a real InfluxDB 1.6.7 behind the outbox.</summary>
public sealed class InfluxOutboxChangeMarkTests(InfluxDbServer server) : OutboxChangeMarkTests, IClassFixture<InfluxDbServer>
{
    protected override async Task<IReadingStore> CreateRemoteAsync()
    {
        var store = new InfluxV1ReadingStore(new InfluxOptions { Url = server.Url, Database = "marks_" + Guid.NewGuid().ToString("N")[..12] });
        await store.EnsureDatabaseAsync(TestContext.Current.CancellationToken);
        return store;
    }
}
