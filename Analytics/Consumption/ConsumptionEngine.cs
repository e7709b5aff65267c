using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Consumption;

public sealed record ConsumptionOptions
{
    /// <summary>Gaps up to this long are spread linearly across the missing intervals; longer ones are not.</summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How many meters are recomputed at once. Each meter's intervals and rollups are its own rows, so meters are
    /// independent; what bounds a pass is the store's round trips. The embedded file has one writer (1); a server
    /// database answers several connections at once (the service uses 8 on PostgreSQL: docs/PERFORMANCE.md).
    /// </summary>
    public int MeterParallelism { get; init; } = 1;
}

/// <summary>What one pass did.</summary>
public sealed record PassSummary(int Meters, int Intervals, int Groups);

/// <summary>
/// Keeps consumption, meter rollups and group rollups up to date from the reading store's change marks:
/// each changed meter is recomputed from where its change starts to matter, its hourly, daily and monthly
/// rows from there on, then the groups it belongs to. Running a pass twice changes nothing.
/// </summary>
public sealed class ConsumptionEngine(SiteModel site, IReadingStore readings, IConsumptionStore store, ConsumptionOptions options)
{
    private static readonly DateTimeOffset End = DateTimeOffset.FromUnixTimeMilliseconds(253_402_300_799_000);
    private readonly Dictionary<MeterId, Meter> _meters = site.Meters.Where(m => !m.IsGauge).ToDictionary(m => m.Id);
    private readonly IReadOnlyList<IReadOnlyList<SeriesGroup>> _groupLevels = Levels(SeriesGroups.For(site));
    private readonly IReadOnlyList<ExpandedVirtualMeter> _virtual = site.VirtualMeters.Select(v => VirtualMeters.Expand(v, site)).ToList();

    /// <summary>One incremental pass over every meter with new or rewritten readings.</summary>
    public async Task<PassSummary> RunPassAsync(IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var changes = await store.ChangesAsync(cancellationToken).ConfigureAwait(false);
        var summary = await RecomputeAsync(changes.Select(c => (c.Meter, c.From)).ToList(), progress, cancellationToken).ConfigureAwait(false);
        await store.ClearChangesAsync(changes, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>
    /// Recomputes every meter from <paramref name="from"/> on, as after an import of history or a change of meter
    /// config; up to <paramref name="to"/> when given (a local day boundary), else to the newest reading.
    /// </summary>
    public async Task<PassSummary> BackfillAsync(DateTimeOffset from, DateTimeOffset? to, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var changes = await store.ChangesAsync(cancellationToken).ConfigureAwait(false);
        var summary = await RecomputeAsync(_meters.Keys.Select(m => (m, from)).ToList(), progress, cancellationToken, to).ConfigureAwait(false);

        // Marks inside an open-ended backfill are done; older marks, and any after a bounded one, need their own pass.
        if (to is null)
        {
            await store.ClearChangesAsync(changes.Where(c => c.From >= from).ToList(), cancellationToken).ConfigureAwait(false);
        }

        return summary;
    }

    private async Task<PassSummary> RecomputeAsync(List<(MeterId Meter, DateTimeOffset From)> work, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken, DateTimeOffset? until = null)
    {
        var fromOf = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var intervals = 0;
        var meters = 0;
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MeterParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, parallel, async (item, ct) =>
        {
            var (id, changedFrom) = item;
            if (_meters.TryGetValue(id, out var meter))
            {
                var (count, from) = await RecomputeMeterAsync(meter, changedFrom, until, ct).ConfigureAwait(false);
                Interlocked.Add(ref intervals, count);
                Interlocked.Increment(ref meters);
                fromOf[id.Value] = from;
            }

            progress?.Report((Interlocked.Increment(ref done), work.Count));
        }).ConfigureAwait(false);

        var touched = new Dictionary<string, DateTimeOffset>(fromOf, StringComparer.Ordinal);
        foreach (var v in _virtual)
        {
            var froms = v.Terms.Where(t => touched.ContainsKey(t.Series)).Select(t => touched[t.Series]).ToList();
            if (froms.Count > 0)
            {
                await RollUpVirtualAsync(v, froms.Min(), until, cancellationToken).ConfigureAwait(false);
                touched[v.Meter.Id.Value] = froms.Min();
            }
        }

        // A group is recomputed from the earliest change among its members, which may be groups summed just before:
        // level by level, the groups of one level (which never contain each other) side by side.
        var groups = 0;
        foreach (var level in _groupLevels)
        {
            var due = level
                .Select(g => (Group: g, Froms: g.Members.Where(touched.ContainsKey).Select(m => touched[m]).ToList()))
                .Where(d => d.Froms.Count > 0)
                .Select(d => (d.Group, Earliest: d.Froms.Min()))
                .ToList();
            await Parallel.ForEachAsync(due, parallel, async (d, ct) =>
            {
                foreach (var period in new[] { RollupPeriod.Hour, RollupPeriod.Day, RollupPeriod.Month })
                {
                    var start = RollupPeriods.Start(period, d.Earliest, site.TimeZone);
                    await store.SumRollupsAsync(d.Group.Series, d.Group.Members, period, start, PeriodEnd(period, until), ct).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            foreach (var (group, earliest) in due)
            {
                touched[group.Series] = earliest;
            }

            groups += due.Count;
        }

        return new PassSummary(meters, intervals, groups);
    }

    /// <summary>
    /// The groups by level: those of meters only first, then those with a member group of the level before, and so
    /// on (a group's level is one more than its deepest member group's).
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<SeriesGroup>> Levels(IReadOnlyList<SeriesGroup> groups)
    {
        var bySeries = groups.ToDictionary(g => g.Series, StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        int LevelOf(SeriesGroup group)
        {
            if (!level.TryGetValue(group.Series, out var known))
            {
                // Groups nest by scope (building, institution, region), so the depth is small and there is no cycle.
                known = group.Members.Select(m => bySeries.TryGetValue(m, out var member) ? LevelOf(member) + 1 : 0).DefaultIfEmpty(0).Max();
                level[group.Series] = known;
            }

            return known;
        }

        return [.. groups.GroupBy(LevelOf).OrderBy(l => l.Key).Select(l => (IReadOnlyList<SeriesGroup>)[.. l])];
    }

    private async Task<(int Intervals, DateTimeOffset From)> RecomputeMeterAsync(Meter meter, DateTimeOffset changedFrom, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var rules = CounterRules.For(meter, site.TimeZone, options.MaxGap);
        var resume = meter.Mode == ReadingMode.Cumulative
            ? await store.CheckpointBeforeAsync(meter.Id, changedFrom, cancellationToken).ConfigureAwait(false)
            : ConsumptionWindow.ForIntervalMeter(meter.Id, rules.Grid, changedFrom);

        // A bounded run reads past its end far enough to decide the readings near it and to bridge a gap across it.
        var readUntil = until is { } u ? u + options.MaxGap + (rules.Grid.Length * ((2 * CounterRules.RecoveryLookahead) + 2)) : End;
        var after = resume is { } r ? r.Anchor.Timestamp.AddMilliseconds(1) : DateTimeOffset.UnixEpoch;
        var series = await readings.ReadAsync(meter.Id, after, readUntil, cancellationToken).ConfigureAwait(false);
        if (resume is null && series.Count == 0)
        {
            return (0, changedFrom);
        }

        var from = resume?.Boundary ?? rules.Grid.Floor(series[0].Timestamp);
        var result = ConsumptionCalculator.Compute(meter.Id, rules, resume, series, from);
        var fresh = until is { } end ? result.Intervals.Where(i => i.Start < end).ToList() : result.Intervals;
        var checkpoints = until is { } stop ? result.Checkpoints.Where(c => c.Boundary < stop).ToList() : result.Checkpoints;
        await store.ReplaceIntervalsAsync(meter.Id, from, until, fresh, checkpoints, cancellationToken).ConfigureAwait(false);
        await RollUpMeterAsync(meter.Id.Value, fresh, from, until, cancellationToken).ConfigureAwait(false);
        return (fresh.Count, from);
    }

    /// <summary>Hours from the new intervals (and the earlier ones of the first hour), days from hours, months from days.</summary>
    private async Task RollUpMeterAsync(string series, IReadOnlyList<ConsumptionInterval> fresh, DateTimeOffset from, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var zone = site.TimeZone;
        var hourFrom = RollupPeriods.Start(RollupPeriod.Hour, from, zone);
        var head = hourFrom < from ? await store.IntervalsAsync(new MeterId(series), hourFrom, from, cancellationToken).ConfigureAwait(false) : [];
        var hours = Rollup.OfIntervals(series, head.Concat(fresh), RollupPeriod.Hour, zone);
        await store.ReplaceRollupsAsync(series, RollupPeriod.Hour, hourFrom, until ?? End, hours, cancellationToken).ConfigureAwait(false);

        var start = from;
        foreach (var (finer, coarser) in new[] { (RollupPeriod.Hour, RollupPeriod.Day), (RollupPeriod.Day, RollupPeriod.Month) })
        {
            start = RollupPeriods.Start(coarser, start, zone);
            var stop = PeriodEnd(coarser, until);
            var rows = await store.RollupsAsync([series], finer, start, stop, cancellationToken).ConfigureAwait(false);
            await store.ReplaceRollupsAsync(series, coarser, start, stop, Rollup.OfRows(rows, coarser, zone), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The end of the last period a bounded run touches: the period holding the instant before <paramref name="until"/>.</summary>
    private DateTimeOffset PeriodEnd(RollupPeriod period, DateTimeOffset? until) =>
        until is { } u ? RollupPeriods.Next(period, RollupPeriods.Start(period, u.AddTicks(-1), site.TimeZone), site.TimeZone) : End;

    private async Task RollUpVirtualAsync(ExpandedVirtualMeter v, DateTimeOffset earliest, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var inputs = v.Terms.Select(t => t.Series).ToList();
        foreach (var period in new[] { RollupPeriod.Hour, RollupPeriod.Day, RollupPeriod.Month })
        {
            var start = RollupPeriods.Start(period, earliest, site.TimeZone);
            var stop = PeriodEnd(period, until);
            var rows = await store.RollupsAsync(inputs, period, start, stop, cancellationToken).ConfigureAwait(false);
            var combined = VirtualMeters.Combine(v.Meter.Id.Value, period, v.Terms, rows);
            await store.ReplaceRollupsAsync(v.Meter.Id.Value, period, start, stop, combined, cancellationToken).ConfigureAwait(false);
        }
    }
}
