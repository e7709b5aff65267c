using EnergyMonitor.Core.Ports;

namespace EnergyMonitor.Storage.Tests.Contracts;

/// <summary>What every <see cref="IIndicatorStore"/> keeps: the newest document per institution, a day saved again replaced.</summary>
public abstract class IndicatorStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 3, 0, 0, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IIndicatorStore> CreateEmptyAsync();

    [Fact]
    public async Task The_latest_day_of_each_institution_comes_back_and_a_day_saved_again_is_replaced()
    {
        var store = await CreateEmptyAsync();
        await store.SaveAsync("i1", T0, "2024-national", """{"day":1}""", Ct);
        await store.SaveAsync("i1", T0.AddDays(1), "2024-national", """{"day":2}""", Ct);
        await store.SaveAsync("i1", T0.AddDays(1), "2025-jiangsu", """{"day":"2 again"}""", Ct);
        await store.SaveAsync("i2", T0, "2024-national", """{"i2":true}""", Ct);

        Assert.Equal((T0.AddDays(1), "2025-jiangsu", """{"day":"2 again"}"""), await store.LatestAsync("i1", Ct));
        Assert.Equal("""{"i2":true}""", (await store.LatestAsync("i2", Ct))?.Json);
        Assert.Null(await store.LatestAsync("nobody", Ct));
    }
}

/// <summary>What every <see cref="IReportArchive"/> keeps: one row per period, scope and format, the newest first.</summary>
public abstract class ReportArchiveContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IReportArchive> CreateEmptyAsync();

    [Fact]
    public async Task A_report_generated_again_replaces_its_row_and_the_listing_is_newest_first()
    {
        var archive = await CreateEmptyAsync();
        await archive.AddAsync(new ArchivedReport(0, "2026-11", "region", "pdf", "a.pdf", "aa", 100, T0), Ct);
        await archive.AddAsync(new ArchivedReport(0, "2026-11", "region", "xlsx", "a.xlsx", "bb", 200, T0.AddMinutes(1)), Ct);
        await archive.AddAsync(new ArchivedReport(0, "2026-11", "region", "pdf", "b.pdf", "cc", 300, T0.AddMinutes(2)), Ct);

        var rows = await archive.ListAsync(Ct);

        Assert.Equal([("pdf", "b.pdf", "cc", 300L), ("xlsx", "a.xlsx", "bb", 200L)], rows.Select(r => (r.Format, r.Path, r.Sha256, r.Bytes)));
        Assert.Equal(T0.AddMinutes(2), rows[0].GeneratedAt);
        Assert.All(rows, r => Assert.True(r.Id > 0));
    }
}
