using EnergyMonitor.Core.Ports;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Postgres;
using EnergyMonitor.Storage.Tests.Contracts;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>The databases of one PostgreSQL server, a fresh one per test, closed at the end of the class.</summary>
public sealed class PostgresDatabases(PostgresServer server) : IAsyncDisposable
{
    private readonly List<PostgresDatabase> _open = [];

    public async Task<PostgresDatabase> CreateAsync()
    {
        var database = await PostgresDatabase.OpenAsync(new PostgresOptions { ConnectionString = await server.CreateDatabaseAsync() }, TestContext.Current.CancellationToken);
        _open.Add(database);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _open)
        {
            await database.DisposeAsync();
        }
    }
}

/// <summary>The reading store contract against a real PostgreSQL 15 on loopback: the same suite the embedded store and InfluxDB pass.</summary>
public sealed class PostgresReadingStoreContractTests(PostgresServer server) : ReadingStoreContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IReadingStore> CreateEmptyStoreAsync() => new PostgresReadingStore(await _databases.CreateAsync());

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>The consumption store contract against PostgreSQL.</summary>
public sealed class PostgresConsumptionStoreContractTests(PostgresServer server) : ConsumptionStoreContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IConsumptionStore> CreateEmptyStoreAsync() => new PostgresConsumptionStore(await _databases.CreateAsync());

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>The change-mark contract: the PostgreSQL reading store raises its marks in the transaction of its readings.</summary>
public sealed class PostgresChangeMarkContractTests(PostgresServer server) : ChangeMarkContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<(IReadingStore Readings, IConsumptionStore Consumption, Func<Task> Settle)> CreateAsync()
    {
        var database = await _databases.CreateAsync();
        return (new PostgresReadingStore(database), new PostgresConsumptionStore(database), () => Task.CompletedTask);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class PostgresQuarantineContractTests(PostgresServer server) : QuarantineContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);
    private PostgresDatabase? _last;

    protected override async Task<IQuarantine> CreateEmptyAsync() => new PostgresQuarantine(_last = await _databases.CreateAsync());

    protected override async Task<object?> StoredReasonAsync(string topic)
    {
        await using var connection = await _last!.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var query = new Npgsql.NpgsqlCommand("SELECT reason FROM quarantine WHERE topic = @t", connection);
        query.Parameters.AddWithValue("t", topic);
        return await query.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class PostgresAlertStoreContractTests(PostgresServer server) : AlertStoreContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IAlertStore> CreateEmptyAsync() => new PostgresAlertStore(await _databases.CreateAsync());

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class PostgresIndicatorStoreContractTests(PostgresServer server) : IndicatorStoreContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IIndicatorStore> CreateEmptyAsync() => new PostgresIndicatorStore(await _databases.CreateAsync());

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

public sealed class PostgresReportArchiveContractTests(PostgresServer server) : ReportArchiveContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<IReportArchive> CreateEmptyAsync() => new PostgresReportArchive(await _databases.CreateAsync());

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}

/// <summary>Accounts, sessions, the audit log and the explanations against PostgreSQL: the embedded file's suite.</summary>
public sealed class PostgresAccountStoreContractTests(PostgresServer server) : AccountStoreContract, IClassFixture<PostgresServer>, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new(server);

    protected override async Task<(IAccountStore Accounts, IAuditLog Audit, IExplanationStore Explanations)> CreateEmptyAsync()
    {
        var sql = EnergyMonitor.Storage.Relational.SqlConnections.Of(await _databases.CreateAsync());
        return (new EnergyMonitor.Storage.Relational.AccountStore(sql), new EnergyMonitor.Storage.Relational.AuditLog(sql), new EnergyMonitor.Storage.Relational.ExplanationStore(sql));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
