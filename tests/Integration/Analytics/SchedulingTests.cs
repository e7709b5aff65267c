using EnergyMonitor.Service.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace EnergyMonitor.Integration.Tests.Analytics;

/// <summary>Quartz with its persistent store in the embedded database, across a stop and a start.</summary>
public sealed class SchedulingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-quartz-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Runs
    {
        private int _count;

        public List<DateTimeOffset> Scheduled { get; } = [];

        public int Count => Volatile.Read(ref _count);

        public void Add(DateTimeOffset scheduled)
        {
            lock (Scheduled)
            {
                Scheduled.Add(scheduled);
            }

            Interlocked.Increment(ref _count);
        }
    }

    public sealed class CountingJob(Runs runs) : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            runs.Add(context.ScheduledFireTimeUtc ?? DateTimeOffset.MinValue);
            return ValueTask.CompletedTask;
        }
    }

    private IHost Host(Runs runs, string cron)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(runs);
        builder.Services.AddScheduling(Path.Combine(_dir, "em.db"), [new ScheduledJob(typeof(CountingJob), new JobKey("count", "test"), cron)],
            TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), TimeSpan.FromSeconds(1));
        return builder.Build();
    }

    [Fact]
    public async Task A_trigger_that_fell_while_the_service_was_stopped_runs_exactly_once_after_start()
    {
        // A daily trigger 10 s from now, Beijing time: the service stops well before it (a slow machine's start-up
        // included) and is away when it falls.
        var due = DateTimeOffset.UtcNow.AddSeconds(10).ToOffset(TimeSpan.FromHours(8));
        var cron = $"{due.Second} {due.Minute} {due.Hour} * * ?";
        var runs = new Runs();
        using (var first = Host(runs, cron))
        {
            await first.StartAsync(Ct);
            await Task.Delay(500, Ct);
            await first.StopAsync(Ct);
        }

        Assert.True(DateTimeOffset.UtcNow < due, "the first start-up took so long that the trigger fell while it ran");
        Assert.Equal(0, runs.Count);
        while (DateTimeOffset.UtcNow < due.AddSeconds(2.5))
        {
            await Task.Delay(100, Ct);
        }

        using (var second = Host(runs, cron))
        {
            await second.StartAsync(Ct);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (runs.Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Ct);
            }

            await Task.Delay(3000, Ct); // room for any second run, which must not come
            await second.StopAsync(Ct);
        }

        Assert.Equal(1, runs.Count);
        Assert.Equal(due.UtcDateTime, runs.Scheduled[0].UtcDateTime, TimeSpan.FromSeconds(1));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
