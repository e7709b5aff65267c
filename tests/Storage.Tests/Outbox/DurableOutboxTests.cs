using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnergyMonitor.Storage.Tests.Outbox;

public sealed class DurableOutboxTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Reading R(string meter, int i, double value = 1) => new(new MeterId(meter), T0.AddMinutes(15 * i), value);

    private static OutboxOptions Fast(long maxBytes = 1 << 30, OutboxFullPolicy policy = OutboxFullPolicy.Block) => new()
    {
        BatchSize = 100,
        BatchDelay = TimeSpan.FromMilliseconds(20),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        MaxBytes = maxBytes,
        FullPolicy = policy,
    };

    private async Task<DurableOutbox> OpenAsync(RecordingStore remote, OutboxOptions options) =>
        await DurableOutbox.OpenAsync(await SqliteDatabase.OpenAsync(new SqliteOptions { Path = _dir.File("outbox.db") }, Ct), remote, options, TimeProvider.System, NullLogger.Instance, Ct);

    private static async Task DrainAsync(DurableOutbox outbox, Func<bool> done)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(run.Token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        await run.CancelAsync();
        await dispatcher;
    }

    [Fact]
    public async Task Readings_leave_in_arrival_order_in_batches_no_larger_than_configured()
    {
        var remote = new RecordingStore();
        using var outbox = await OpenAsync(remote, Fast());
        var written = Enumerable.Range(0, 450).Select(i => R($"m{i % 3}", i)).ToList();
        foreach (var chunk in written.Chunk(50))
        {
            await outbox.EnqueueAsync(chunk, Ct);
        }

        await DrainAsync(outbox, () => remote.Delivered.Count == 450);

        Assert.Equal(written, remote.Delivered);
        Assert.All(remote.Batches, b => Assert.InRange(b.Count, 1, 100));
        var status = await outbox.StatusAsync(Ct);
        Assert.Equal((0L, 0L, 450L), (status.Depth, status.Bytes, status.Delivered));
    }

    [Fact]
    public async Task One_write_larger_than_a_batch_is_queued_whole_and_delivered_in_batches()
    {
        // An imported file is one write: it is durable whole, and the remote still gets bodies of one batch each.
        var remote = new RecordingStore();
        using var outbox = await OpenAsync(remote, Fast());
        var written = Enumerable.Range(0, 1_050).Select(i => R($"m{i % 3}", i)).ToList();

        await outbox.EnqueueAsync(written, Ct);
        var queued = await outbox.StatusAsync(Ct);
        await DrainAsync(outbox, () => remote.Delivered.Count == written.Count);

        Assert.Equal(1_050L, queued.Depth);
        Assert.Equal(written, remote.Delivered);
        Assert.All(remote.Batches, b => Assert.InRange(b.Count, 1, 100));
    }

    [Fact]
    public async Task While_the_remote_is_down_nothing_is_lost_and_delivery_resumes_with_order_kept()
    {
        var remote = new RecordingStore();
        var down = true;
        remote.Behaviour = _ => down ? new HttpRequestException("connection refused") : null;
        using var outbox = await OpenAsync(remote, Fast());
        await outbox.EnqueueAsync(Enumerable.Range(0, 120).Select(i => R("m", i)).ToList(), Ct);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(run.Token);
        await Task.Delay(300, Ct);
        var during = await outbox.StatusAsync(Ct);
        down = false;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (remote.Delivered.Count < 120 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        await run.CancelAsync();
        await dispatcher;

        Assert.False(during.RemoteUp);
        Assert.True(during.Retried > 0);
        Assert.Equal(120, during.Depth);
        Assert.Equal(Enumerable.Range(0, 120).Select(i => R("m", i)), remote.Delivered);
        Assert.True((await outbox.StatusAsync(Ct)).RemoteUp);
    }

    [Fact]
    public async Task A_poison_reading_is_split_out_and_kept_with_the_reason_and_the_rest_delivered()
    {
        var remote = new RecordingStore();
        var poison = R("bad", 37, 99);
        remote.Behaviour = batch => batch.Contains(poison) ? new ReadingsRejectedException("partial write: field type conflict: input field \"value\" is type float, already exists as type integer dropped=1") : null;
        using var outbox = await OpenAsync(remote, Fast());
        var written = Enumerable.Range(0, 100).Select(i => i == 37 ? poison : R("m", i)).ToList();
        await outbox.EnqueueAsync(written, Ct);

        await DrainAsync(outbox, () => remote.Delivered.Count == 99);

        Assert.Equal(written.Where(r => r != poison), remote.Delivered);
        var (reading, reason) = Assert.Single(await outbox.RejectedAsync(Ct));
        Assert.Equal(poison, reading);
        Assert.Contains("field type conflict", reason);
        Assert.Equal(1, (await outbox.StatusAsync(Ct)).Rejected);
    }

    [Fact]
    public void A_payload_decodes_to_the_readings_it_was_made_of()
    {
        Reading[] readings = [R("中文表计", 0, -1.5), new(new MeterId("m/power_total"), T0.AddMilliseconds(123), double.MaxValue, ReadingQuality.Missing | ReadingQuality.Manual)];
        var decoded = new List<Reading>();

        OutboxPayload.Decode(OutboxPayload.Encode(readings), decoded);

        Assert.Equal(readings, decoded);
    }

    [Fact]
    public async Task Undelivered_readings_survive_a_restart()
    {
        var remote = new RecordingStore { Behaviour = _ => new HttpRequestException("down") };
        using (var first = await OpenAsync(remote, Fast()))
        {
            await first.EnqueueAsync(Enumerable.Range(0, 30).Select(i => R("m", i)).ToList(), Ct);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        remote.Behaviour = _ => null;
        using var second = await OpenAsync(remote, Fast());
        Assert.Equal(30, (await second.StatusAsync(Ct)).Depth);

        await DrainAsync(second, () => remote.Delivered.Count == 30);

        Assert.Equal(30, remote.Delivered.Count);
    }

    [Fact]
    public async Task Drop_oldest_keeps_the_bound_and_counts_what_it_dropped()
    {
        var remote = new RecordingStore();
        // Batches of ten readings each take the same room; the bound holds five of them.
        var perBatch = OutboxPayload.Encode(Enumerable.Range(0, 10).Select(j => R("m", j)).ToList()).Length;
        using var outbox = await OpenAsync(remote, Fast(maxBytes: perBatch * 5, policy: OutboxFullPolicy.DropOldest));

        for (var i = 0; i < 8; i++)
        {
            await outbox.EnqueueAsync(Enumerable.Range(i * 10, 10).Select(j => R("m", j)).ToList(), Ct);
        }

        var status = await outbox.StatusAsync(Ct);
        Assert.Equal(30, status.Dropped);
        Assert.Equal(50, status.Depth);
        Assert.True(status.Bytes <= perBatch * 5);
        await DrainAsync(outbox, () => remote.Delivered.Count == 50);
        Assert.Equal(Enumerable.Range(30, 50).Select(j => R("m", j)), remote.Delivered);
    }

    [Fact]
    public async Task Block_holds_the_writer_until_delivery_frees_room()
    {
        var remote = new RecordingStore { Behaviour = _ => new HttpRequestException("down") };
        var bound = OutboxPayload.Encode(Enumerable.Range(0, 20).Select(i => R("m", i)).ToList()).Length;
        using var outbox = await OpenAsync(remote, Fast(maxBytes: bound));
        await outbox.EnqueueAsync(Enumerable.Range(0, 20).Select(i => R("m", i)).ToList(), Ct);

        var blocked = outbox.EnqueueAsync(Enumerable.Range(20, 10).Select(i => R("m", i)).ToList(), Ct);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var dispatcher = outbox.RunAsync(run.Token);
        await Task.Delay(300, Ct);

        Assert.False(blocked.IsCompleted);
        Assert.True((await outbox.StatusAsync(Ct)).Blocking);
        remote.Behaviour = _ => null;
        await blocked.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (remote.Delivered.Count < 30 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        await run.CancelAsync();
        await dispatcher;
        Assert.Equal(Enumerable.Range(0, 30).Select(i => R("m", i)), remote.Delivered);
        Assert.Equal(0, (await outbox.StatusAsync(Ct)).Dropped);
    }

    public void Dispose() => _dir.Dispose();
}
