using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Service.Settings;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Outbox;
using EnergyMonitor.Storage.Postgres;
using Microsoft.Extensions.Logging;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// The configured stores: the embedded database; or InfluxDB behind the durable outbox; or PostgreSQL for everything,
/// its readings behind the outbox too, so that a database restart costs no reading.
/// </summary>
public sealed class StoreComposition : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];

    private StoreComposition(SqliteDatabase database) => Database = database;

    public SqliteDatabase Database { get; }

    public IReadingStore Store { get; private set; } = null!;

    /// <summary>Present when readings go to a remote store; its dispatcher must run for them to arrive.</summary>
    public DurableOutbox? Outbox { get; private set; }

    /// <summary>The server database when the stores are PostgreSQL's; null otherwise.</summary>
    public PostgresDatabase? Postgres { get; private set; }

    /// <summary>For InfluxDB: creates the database or bucket once the server is reachable.</summary>
    public Func<CancellationToken, Task>? SetUpRemote { get; private set; }

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

        if (settings.Storage.Kind == StoreKind.Postgres)
        {
            var postgres = await PostgresDatabase.OpenAsync(settings.Storage.Postgres.Resolve(settingsFile), cancellationToken).ConfigureAwait(false);
            composition.Postgres = postgres;
            var readings = new PostgresReadingStore(postgres);
            var pgOutbox = await DurableOutbox.OpenAsync(database, readings, settings.Storage.Outbox, time, loggers.CreateLogger<DurableOutbox>(), cancellationToken,
                remoteRaisesChangeMarks: true).ConfigureAwait(false);
            composition._owned.Add(pgOutbox);
            composition.Outbox = pgOutbox;
            composition.Store = new OutboxReadingStore(pgOutbox, readings);
            return composition;
        }

        var options = settings.Storage.Influx.Resolve(settingsFile);
        var tags = SeriesTags(site);
        IReadingStore remote;
        if (options.ApiVersion == 1)
        {
            var v1 = new InfluxV1ReadingStore(options, tags);
            composition._owned.Add(v1);
            composition.SetUpRemote = v1.EnsureDatabaseAsync;
            remote = v1;
        }
        else
        {
            var v2 = new InfluxV2ReadingStore(options, tags);
            composition._owned.Add(v2);
            composition.SetUpRemote = options.CreateDatabase ? v2.EnsureBucketAsync : null;
            remote = v2;
        }

        var outbox = await DurableOutbox.OpenAsync(database, remote, settings.Storage.Outbox, time, loggers.CreateLogger<DurableOutbox>(), cancellationToken).ConfigureAwait(false);
        composition._owned.Add(outbox);
        composition.Outbox = outbox;
        composition.Store = new OutboxReadingStore(outbox, remote);
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
            if (!SeriesKey.TryParse(id.Value, out var series) || series.Value.Meter is not { } meter || !byMeter.TryGetValue(meter.Value, out var tags))
            {
                return none;
            }

            return series.Value.Point is not { } point ? tags : new Dictionary<string, string>(tags) { ["point"] = point };
        };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync().ConfigureAwait(false);
        }
    }
}
