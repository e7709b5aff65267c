using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Tests.Contracts;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Tests;

public sealed class SqliteQuarantineTests : QuarantineContract, IDisposable
{
    private readonly TempDirectory _dir = new();
    private string _path = "";

    protected override async Task<IQuarantine> CreateEmptyAsync()
    {
        _path = _dir.File($"{Guid.NewGuid():N}.db");
        return new QuarantineStore(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _path }, TestContext.Current.CancellationToken));
    }

    protected override async Task<object?> StoredReasonAsync(string topic)
    {
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT reason FROM quarantine WHERE topic = $t";
        query.Parameters.AddWithValue("$t", topic);
        return await query.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose() => _dir.Dispose();
}

public sealed class SqliteAlertStoreTests : AlertStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IAlertStore> CreateEmptyAsync() =>
        new SqliteAlertStore(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"{Guid.NewGuid():N}.db") }, TestContext.Current.CancellationToken));

    public void Dispose() => _dir.Dispose();
}

public sealed class SqliteIndicatorStoreTests : IndicatorStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IIndicatorStore> CreateEmptyAsync() =>
        new SqliteIndicatorStore(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"{Guid.NewGuid():N}.db") }, TestContext.Current.CancellationToken));

    public void Dispose() => _dir.Dispose();
}

public sealed class SqliteReportArchiveTests : ReportArchiveContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IReportArchive> CreateEmptyAsync() =>
        new SqliteReportArchive(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"{Guid.NewGuid():N}.db") }, TestContext.Current.CancellationToken));

    public void Dispose() => _dir.Dispose();
}

public sealed class SqliteAccountStoreTests : AccountStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<(IAccountStore Accounts, IAuditLog Audit, IExplanationStore Explanations)> CreateEmptyAsync()
    {
        var sql = Relational.SqlConnections.Of(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File($"{Guid.NewGuid():N}.db") }, TestContext.Current.CancellationToken));
        return (new Relational.AccountStore(sql), new Relational.AuditLog(sql), new Relational.ExplanationStore(sql));
    }

    public void Dispose() => _dir.Dispose();
}
