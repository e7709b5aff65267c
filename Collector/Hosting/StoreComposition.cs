using EnergyMonitor.Collector.Configuration;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Outbox;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Collector.Hosting;

/// <summary>The configured reading store: the embedded one, or InfluxDB behind the durable outbox.</summary>
public sealed class StoreComposition : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];

    private StoreComposition(SqliteDatabase database) => Database = database;

    public SqliteDatabase Database { get; }

    public IReadingStore Store { get; private set; } = null!;

    /// <summary>Present when readings go to a remote store; its dispatcher must run for them to arrive.</summary>
    public DurableOutbox? Outbox { get; private set; }

    /// <summary>Present for InfluxDB: creates the database when the server is reachable.</summary>
    public InfluxV1ReadingStore? Influx { get; private set; }

    public static async Task<StoreComposition> OpenAsync(ServiceSettings settings, SiteModel site, string settingsFile, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var database = await SqliteDatabase.OpenAsync(settings.Storage.Sqlite, cancellationToken).ConfigureAwait(false);
        var composition = new StoreComposition(database);
        if (settings.Storage.Kind == StoreKind.Sqlite)
        {
            var sqlite = new SqliteReadingStore(database);
            composition._owned.Add(sqlite);
            composition.Store = sqlite;
            return composition;
        }

        var options = settings.Storage.Influx.Resolve(settingsFile);
        if (options.ApiVersion != 1)
        {
            throw new ConfigException([new ConfigError(settingsFile, 0, 0, "EnergyMonitor:Storage:Influx:ApiVersion", "2", "1: the v2 wire path is not built yet; 2.x serves the v1 API through a DBRP mapping")]);
        }

        var tags = SeriesTags(site);
        var influx = new InfluxV1ReadingStore(options, tags);
        var outbox = await DurableOutbox.OpenAsync(database, influx, settings.Storage.Outbox, time, loggers.CreateLogger<DurableOutbox>(), cancellationToken).ConfigureAwait(false);
        composition._owned.Add(influx);
        composition._owned.Add(outbox);
        composition.Influx = influx;
        composition.Outbox = outbox;
        composition.Store = new OutboxReadingStore(outbox, influx);
        return composition;
    }

    /// <summary>
    /// The low-cardinality site tags of a series: institution, building, kind and item code of its meter (for a
    /// measurement series <c>meter/point</c>, of the meter it belongs to).
    /// </summary>
    public static Func<MeterId, IReadOnlyDictionary<string, string>> SeriesTags(SiteModel site)
    {
        var byMeter = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var institution in site.Institutions)
        {
            foreach (var building in institution.Buildings)
            {
                foreach (var meter in building.Meters)
                {
                    var tags = new Dictionary<string, string>
                    {
                        ["institution"] = institution.Id,
                        ["building"] = building.Id,
                        ["kind"] = EnergyKinds.ConfigName(meter.Kind),
                    };
                    if (meter.Item is { } item)
                    {
                        tags["item"] = item.Code;
                    }

                    byMeter[meter.Id.Value] = tags;
                }
            }
        }

        IReadOnlyDictionary<string, string> none = new Dictionary<string, string>();
        return id =>
        {
            var slash = id.Value.IndexOf('/', StringComparison.Ordinal);
            var meter = slash < 0 ? id.Value : id.Value[..slash];
            if (!byMeter.TryGetValue(meter, out var tags))
            {
                return none;
            }

            return slash < 0 ? tags : new Dictionary<string, string>(tags) { ["point"] = id.Value[(slash + 1)..] };
        };
    }

    public ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
