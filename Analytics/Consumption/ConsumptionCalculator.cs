using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Consumption;

/// <summary>The intervals computed from a run of readings, and the last reading they are final up to.</summary>
/// <param name="DecidedThrough">
/// The last reading every delta up to which is final. Later readings wait: a fall of the counter at the end
/// cannot yet be told apart from a bad read that the next readings will correct. Null when nothing was decided.
/// </param>
public sealed record CalculationResult(IReadOnlyList<ConsumptionInterval> Intervals, DateTimeOffset? DecidedThrough);

/// <summary>
/// Turns one meter's readings into consumption per grid interval. Pure: readings in, intervals out.
/// </summary>
/// <remarks>
/// For a counter, the delta between consecutive usable readings at t0 and t1 is the use over [t0, t1); it is
/// shared among the grid intervals that span overlaps, by time. Then:
/// <list type="bullet">
/// <item>a replacement between t0 and t1 joins the old meter's final reading and the new meter's first;</item>
/// <item>a fall that later readings recover from is a bad read (often 0 from a gateway that failed): skipped;</item>
/// <item>a fall that stays is a rollover when the counter wraps and the wrapped delta is plausible, else a reset,
/// counted as nothing;</item>
/// <item>a delta above the physical maximum over its span is rejected and kept aside;</item>
/// <item>a span longer than 1.5 intervals is a gap: spread linearly up to the maximum gap, else put whole into
/// the interval where readings resume; either way flagged estimated.</item>
/// </list>
/// For an interval meter, each reading is the use over the interval ending at its timestamp.
/// Every amount counted or rejected adds up to the counter's advance, corrected for rollovers and replacements.
/// </remarks>
public static class ConsumptionCalculator
{
    /// <param name="anchor">The reading the first delta starts from (at or before <paramref name="from"/>); null to start at the first reading.</param>
    /// <param name="readings">Readings after the anchor, in time order.</param>
    /// <param name="from">Intervals starting before this are left out: the caller keeps them from an earlier run.</param>
    public static CalculationResult Compute(MeterId meter, CounterRules rules, Reading? anchor, IReadOnlyList<Reading> readings, DateTimeOffset from)
    {
        var intervals = new SortedDictionary<DateTimeOffset, Accumulator>();
        DateTimeOffset? decided;
        if (rules.Mode == ReadingMode.Interval)
        {
            decided = IntervalReadings(rules, readings, intervals);
        }
        else
        {
            decided = Counter(rules, anchor, readings, intervals);
        }

        var result = intervals
            .Where(p => p.Key >= from)
            .Select(p => new ConsumptionInterval(meter, p.Key, p.Value.Amount, p.Value.Estimated, p.Value.Rejected, p.Value.Flags))
            .ToList();
        return new CalculationResult(result, decided);
    }

    private static DateTimeOffset? IntervalReadings(CounterRules rules, IReadOnlyList<Reading> readings, SortedDictionary<DateTimeOffset, Accumulator> intervals)
    {
        DateTimeOffset? last = null;
        foreach (var r in readings)
        {
            if (!r.IsUsable)
            {
                continue;
            }

            var start = rules.Grid.FloorBefore(r.Timestamp);
            var a = Slot(intervals, start);
            var hours = rules.Grid.Length.TotalHours;
            if (r.Value < 0)
            {
                a.Flags |= IntervalFlags.Reset;
            }
            else if (rules.MaxPerHour is { } max && r.Value > max * hours)
            {
                a.Rejected += r.Value;
                a.Flags |= IntervalFlags.SpikeRejected;
            }
            else
            {
                a.Amount += r.Value;
            }

            last = r.Timestamp;
        }

        return last;
    }

    private static DateTimeOffset? Counter(CounterRules rules, Reading? anchor, IReadOnlyList<Reading> all, SortedDictionary<DateTimeOffset, Accumulator> intervals)
    {
        var usable = new List<Reading>(all.Count);
        foreach (var r in all)
        {
            if (r.IsUsable && (anchor is null || r.Timestamp > anchor.Value.Timestamp))
            {
                usable.Add(r);
            }
        }

        Reading? previous = anchor is { IsUsable: true } ? anchor : null;
        var decided = previous?.Timestamp;
        var pendingFlags = IntervalFlags.None;
        for (var i = 0; i < usable.Count; i++)
        {
            var current = usable[i];
            if (previous is not { } prev)
            {
                previous = current;
                decided = current.Timestamp;
                continue;
            }

            if (current.Timestamp <= prev.Timestamp)
            {
                continue;
            }

            // Across a replacement the old meter's part is counted up to its final reading, and the new meter
            // is then measured from its first; otherwise from the previous reading.
            var flags = pendingFlags;
            var before = 0.0;
            var counterBase = prev.Value;
            foreach (var replacement in Replacements(rules, prev.Timestamp, current.Timestamp))
            {
                before += Math.Max(0, replacement.OldFinal - counterBase);
                counterBase = replacement.NewInitial;
                flags |= IntervalFlags.Replacement;
            }

            double delta;
            if (current.Value >= counterBase - Noise(counterBase))
            {
                delta = before + Math.Max(0, current.Value - counterBase);
            }
            else
            {
                switch (Fall(rules, usable, i, counterBase))
                {
                    case FallKind.BadRead:
                        pendingFlags |= IntervalFlags.Unavailable;
                        continue;
                    case FallKind.Undecided:
                        return decided;
                    case FallKind.Rollover:
                        delta = before + rules.RolloverAt!.Value - counterBase + current.Value;
                        flags |= IntervalFlags.Rollover;
                        break;
                    default:
                        delta = before;
                        flags |= IntervalFlags.Reset;
                        break;
                }
            }

            var rejected = 0.0;
            var span = current.Timestamp - prev.Timestamp;
            if (rules.MaxPerHour is { } max && delta > max * span.TotalHours)
            {
                rejected = delta;
                delta = 0;
                flags |= IntervalFlags.SpikeRejected;
            }

            Distribute(rules, prev.Timestamp, current.Timestamp, delta, rejected, flags, intervals);
            pendingFlags = IntervalFlags.None;
            previous = current;
            decided = current.Timestamp;
        }

        return decided;
    }

    private enum FallKind
    {
        BadRead,
        Undecided,
        Rollover,
        Reset,
    }

    /// <summary>Why usable[i] is below <paramref name="counterBase"/>, the value the counter stood at before it.</summary>
    private static FallKind Fall(CounterRules rules, List<Reading> usable, int i, double counterBase)
    {
        var current = usable[i];
        var ahead = 0;
        for (var j = i + 1; j < usable.Count && ahead < CounterRules.RecoveryLookahead; j++, ahead++)
        {
            if (Replacements(rules, current.Timestamp, usable[j].Timestamp) is [var replacement, ..])
            {
                // The old meter's configured final reading shows whether it really fell before it was taken out.
                return replacement.OldFinal >= counterBase ? FallKind.BadRead : FallKind.Reset;
            }

            if (usable[j].Value >= counterBase - Noise(counterBase))
            {
                return FallKind.BadRead;
            }
        }

        // Too few readings after the fall to know whether the counter recovers: wait for them. Even a wrap waits,
        // so that the decision never depends on where a run of readings happened to be cut.
        if (ahead < CounterRules.RecoveryLookahead && i + 1 + ahead >= usable.Count)
        {
            return FallKind.Undecided;
        }

        // A wrap is plausible when the counter was in its top half and the wrapped delta within physical limits.
        if (rules.RolloverAt is { } max && counterBase >= max / 2 && current.Value < max / 2)
        {
            var wrapped = max - counterBase + current.Value;
            var limit = rules.MaxPerHour is { } perHour ? perHour * (current.Timestamp - usable[Math.Max(0, i - 1)].Timestamp).TotalHours : max / 2;
            if (wrapped <= limit)
            {
                return FallKind.Rollover;
            }
        }

        return FallKind.Reset;
    }

    /// <summary>
    /// Rounding left by unit conversion and multipliers (a counter times 0.001, say) can make an unchanged counter
    /// read a hair lower; that is no fall.
    /// </summary>
    private static double Noise(double counter) => 1e-9 * Math.Max(1, Math.Abs(counter));

    private static List<CounterReplacement> Replacements(CounterRules rules, DateTimeOffset after, DateTimeOffset atOrBefore)
    {
        var result = new List<CounterReplacement>();
        foreach (var r in rules.Replacements)
        {
            if (r.At > after && r.At <= atOrBefore)
            {
                result.Add(r);
            }
        }

        return result;
    }

    /// <summary>Shares a delta over [t0, t1) among the grid intervals by overlap.</summary>
    private static void Distribute(CounterRules rules, DateTimeOffset t0, DateTimeOffset t1, double delta, double rejected, IntervalFlags flags, SortedDictionary<DateTimeOffset, Accumulator> intervals)
    {
        var length = rules.Grid.Length;
        var span = t1 - t0;
        var gap = span.Ticks > length.Ticks * 3 / 2;
        if (gap)
        {
            flags |= IntervalFlags.Estimated;
        }

        if (gap && span > rules.MaxGap)
        {
            var last = Slot(intervals, rules.Grid.FloorBefore(t1));
            last.Add(delta, delta, rejected, flags | IntervalFlags.LongGap);
            return;
        }

        var first = rules.Grid.Floor(t0);
        var split = first.Add(length) < t1;
        if (split && !gap)
        {
            flags |= IntervalFlags.Interpolated;
        }

        double placedAmount = 0, placedRejected = 0;
        for (var start = first; start < t1; start = start.Add(length))
        {
            var end = start.Add(length);
            var isLast = end >= t1;

            // The last share takes the remainder, so that the shares add up to the delta exactly.
            double share = isLast ? 1 : ((end - Max(start, t0)).Ticks / (double)span.Ticks);
            var amount = isLast ? delta - placedAmount : delta * share;
            var spike = isLast ? rejected - placedRejected : rejected * share;
            placedAmount += amount;
            placedRejected += spike;
            Slot(intervals, start).Add(amount, gap ? amount : 0, spike, flags);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static Accumulator Slot(SortedDictionary<DateTimeOffset, Accumulator> intervals, DateTimeOffset start)
    {
        if (!intervals.TryGetValue(start, out var a))
        {
            a = new Accumulator();
            intervals[start] = a;
        }

        return a;
    }

    private sealed class Accumulator
    {
        public double Amount;
        public double Estimated;
        public double Rejected;
        public IntervalFlags Flags;

        public void Add(double amount, double estimated, double rejected, IntervalFlags flags)
        {
            Amount += amount;
            Estimated += estimated;
            Rejected += rejected;
            Flags |= flags;
        }
    }
}
