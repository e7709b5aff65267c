using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Integration.Tests.Infrastructure;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Influx;
using EnergyMonitor.Storage.Outbox;
using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Integration.Tests.Storage;

/// <summary>The outbox in front of a real influxd 1.6.7 that stops, freezes and refuses points.</summary>
public sealed class OutboxInfluxFaultTests : IAsyncLifetime
{
    private readonly InfluxDbServer _influx = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("em-outbox-").FullName;
    private InfluxV1ReadingStore? _store;
    private readonly string _database = "faults_" + Guid.NewGuid().ToString("N")[..8];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _influx.InitializeAsync();
        _store = new InfluxV1ReadingStore(new InfluxOptions { Url = _influx.Url, Database = _database, TimeoutSeconds = 3 });
        await _store.EnsureDatabaseAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _store?.Dispose();
        await _influx.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<DurableOutbox> OutboxAsync(OutboxOptions options, ListLogger? logger = null) =>
        await DurableOutbox.OpenAsync(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = Path.Combine(_dir, "outbox.db") }, Ct),
            _store!, options, TimeProvider.System, logger ?? new ListLogger(), Ct);

    private static OutboxOptions Options => new()
    {
        BatchSize = 5000,
        BatchDelay = TimeSpan.FromMilliseconds(200),
        RetryBaseDelay = TimeSpan.FromMilliseconds(200),
        RetryMaxDelay = TimeSpan.FromSeconds(2),
    };

    private async Task<long> CountInInfluxAsync(DateTimeOffset from, DateTimeOffset to) =>
        (await _store!.CountAsync(from, to, Ct)).Values.Sum();

    /// <summary>100 meters, one reading each per second of simulated time, written every 100 ms of wall time.</summary>
    private static async Task<long> WriteLoadAsync(DurableOutbox outbox, DateTimeOffset start, TimeSpan duration, CancellationToken cancellationToken)
    {
        long written = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        for (var second = 0; stopwatch.Elapsed < duration; second++)
        {
            var batch = Enumerable.Range(0, 100).Select(m => new Reading(new MeterId($"meter-{m:D3}"), start.AddSeconds(second), second + (m / 1000.0))).ToList();
            await outbox.EnqueueAsync(batch, cancellationToken);
            written += batch.Count;
            await Task.Delay(100, cancellationToken);
        }

        return written;
    }

    private static async Task WaitForDeliveryAsync(DurableOutbox outbox, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await outbox.StatusAsync(Ct)).Depth > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task Influxd_stopped_for_30_s_under_load_loses_nothing_and_duplicates_nothing()
    {
        using var outbox = await OutboxAsync(Options);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(run.Token);
        var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

        var load = WriteLoadAsync(outbox, start, TimeSpan.FromSeconds(40), Ct);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await _influx.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(30), Ct);
        var during = await outbox.StatusAsync(Ct);
        await _influx.StartAsync();
        var written = await load;
        await WaitForDeliveryAsync(outbox, TimeSpan.FromSeconds(60));
        await run.CancelAsync();
        await dispatcher;

        Assert.False(during.RemoteUp);
        Assert.True(during.Depth > 1000, $"depth during the outage: {during.Depth}");
        Assert.Equal(written, await CountInInfluxAsync(start, start.AddDays(1)));
    }

    [Fact]
    public async Task Influxd_frozen_for_20_s_loses_nothing_and_duplicates_nothing()
    {
        using var outbox = await OutboxAsync(Options);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(run.Token);
        var start = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

        var load = WriteLoadAsync(outbox, start, TimeSpan.FromSeconds(28), Ct);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        _influx.Pause();
        await Task.Delay(TimeSpan.FromSeconds(20), Ct);
        _influx.Resume();
        var written = await load;
        await WaitForDeliveryAsync(outbox, TimeSpan.FromSeconds(60));
        await run.CancelAsync();
        await dispatcher;

        // A write that timed out while frozen may have landed after all; its resend overwrites the same points.
        Assert.Equal(written, await CountInInfluxAsync(start, start.AddDays(1)));
        Assert.True((await outbox.StatusAsync(Ct)).Retried > 0);
    }

    [Fact]
    public async Task A_point_with_a_conflicting_field_type_is_quarantined_with_the_servers_message_and_its_batch_arrives()
    {
        // A foreign writer already stored "quality" as a float in the week of 2020-03-02: our integer conflicts there only.
        using (var http = new HttpClient { BaseAddress = _influx.Url })
        {
            using var seed = await http.PostAsync($"/write?db={_database}&precision=ms",
                new StringContent("reading,meter=foreign value=1,quality=0.5 1583150400000"), Ct);
            Assert.True(seed.IsSuccessStatusCode);
        }

        var poison = new Reading(new MeterId("m-poison"), new DateTimeOffset(2020, 3, 3, 0, 0, 0, TimeSpan.Zero), 5);
        var start = new DateTimeOffset(2025, 8, 1, 0, 0, 0, TimeSpan.Zero);
        var good = Enumerable.Range(0, 99).Select(i => new Reading(new MeterId("m-good"), start.AddMinutes(i), i)).ToList();
        var logger = new ListLogger();
        using var outbox = await OutboxAsync(Options, logger);
        await outbox.EnqueueAsync([.. good.Take(40), poison, .. good.Skip(40)], Ct);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(run.Token);
        await WaitForDeliveryAsync(outbox, TimeSpan.FromSeconds(30));
        await run.CancelAsync();
        await dispatcher;

        Assert.Equal(99, await CountInInfluxAsync(start, start.AddDays(1)));
        var (reading, reason) = Assert.Single(await outbox.RejectedAsync(Ct));
        Assert.Equal(poison, reading);
        Assert.Contains("field type conflict", reason, StringComparison.Ordinal);
        Assert.Contains(logger.Messages, m => m.Contains("m-poison", StringComparison.Ordinal) && m.Contains("field type conflict", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_outbox_with_block_policy_holds_sources_while_influxd_is_down_and_reports_it()
    {
        // Room for three of the load's batches of 100 readings.
        var perBatch = OutboxPayload.Encode(Enumerable.Range(0, 100).Select(m => new Reading(new MeterId($"meter-{m:D3}"), default, 0)).ToList()).Length;
        var logger = new ListLogger();
        var options = Options;
        options.MaxBytes = (perBatch * 3) + 50;
        using var outbox = await OutboxAsync(options, logger);
        await _influx.StopAsync();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(run.Token);
        var start = new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero);

        using var loadStop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var load = WriteLoadAsync(outbox, start, TimeSpan.FromSeconds(3), loadStop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var full = await outbox.StatusAsync(Ct);
        await _influx.StartAsync();
        var written = await load;
        await WaitForDeliveryAsync(outbox, TimeSpan.FromSeconds(30));
        await run.CancelAsync();
        await dispatcher;

        Assert.True(full.Blocking);
        Assert.Equal(300, full.Depth);
        Assert.Contains(logger.Messages, m => m.Contains("Outbox full", StringComparison.Ordinal));
        Assert.Equal(0, (await outbox.StatusAsync(Ct)).Dropped);
        Assert.Equal(written, await CountInInfluxAsync(start, start.AddDays(1)));
        Assert.True(written > 300, written.ToString(CultureInfo.InvariantCulture));
    }
}
