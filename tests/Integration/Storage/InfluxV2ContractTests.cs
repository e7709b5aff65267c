using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Tests.Contracts;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>
/// The store contract through InfluxDB.Client's v2 API, against a 2.x or 3.x server named by INFLUXDB_V2_URL,
/// INFLUXDB_V2_TOKEN, INFLUXDB_V2_ORG and INFLUXDB_V2_BUCKET. Debian ships only 1.6.7, so CI reports these as skipped.
/// Each test gets a bucket of its own, named after INFLUXDB_V2_BUCKET, and deletes it afterwards.
/// </summary>
public sealed class InfluxV2ContractTests : ReadingStoreContract, IAsyncDisposable
{
    private readonly List<InfluxV2ReadingStore> _stores = [];

    protected override async Task<IReadingStore> CreateEmptyStoreAsync()
    {
        string? Env(string name) => Environment.GetEnvironmentVariable(name);
        var url = Env("INFLUXDB_V2_URL");
        Assert.SkipWhen(string.IsNullOrEmpty(url) || string.IsNullOrEmpty(Env("INFLUXDB_V2_TOKEN")) || string.IsNullOrEmpty(Env("INFLUXDB_V2_ORG")) || string.IsNullOrEmpty(Env("INFLUXDB_V2_BUCKET")),
            "INFLUXDB_V2_URL, INFLUXDB_V2_TOKEN, INFLUXDB_V2_ORG and INFLUXDB_V2_BUCKET are not all set: the v2 path needs a 2.x or 3.x server, and Debian ships only 1.6.7");
        var store = new InfluxV2ReadingStore(new InfluxOptions
        {
            Url = new Uri(url!),
            ApiVersion = 2,
            Token = Env("INFLUXDB_V2_TOKEN")!,
            Org = Env("INFLUXDB_V2_ORG")!,
            Bucket = $"{Env("INFLUXDB_V2_BUCKET")}_{Guid.NewGuid():N}"[..40],
        });
        _stores.Add(store);
        await store.EnsureBucketAsync(TestContext.Current.CancellationToken);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DeleteBucketAsync(CancellationToken.None);
            store.Dispose();
        }
    }
}
