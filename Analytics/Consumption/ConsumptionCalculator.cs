using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Consumption;

/// <summary>The intervals computed from a run of readings, and the points a later run may resume from.</summary>
/// <param name="Checkpoints">
/// Final checkpoints at local-hour (or coarser grid) boundaries, oldest first. Readings near the end are decided only
/// provisionally, so the newest checkpoint lies a lookahead window behind the newest reading.
/// </param>
public sealed record CalculationResult(IReadOnlyList<ConsumptionInterval> Intervals, IReadOnlyList<ConsumptionCheckpoint> Checkpoints);

/// <summary>
/// Turns one meter's readings into consumption per grid interval. Pure: readings in, intervals out. This is the
/// one place where counter readings are interpreted (docs/DOMAIN.md#counters-into-consumption).
/// </summary>
/// <remarks>
/// For a counter, the delta between consecutive accepted readings at t0 and t1 is the use over [t0, t1); it is
/// shared among the grid intervals that the span overlaps, by time. Each reading is judged against the last
/// accepted one (the base) and the <see cref="CounterRules.RecoveryLookahead"/> readings after it:
/// <list type="bullet">
/// <item>a value no counter can show (negative, above the register's wrap point) is a bad read;</item>
/// <item>a reading the series comes back from — a later reading lies on a plausible path from the base with less
/// advance — is a bad read, whether it jumped up or fell down; so is a reading below the path — a later reading lies
/// on a plausible path from the base but is too far ahead of it to have been reached from it — on the straight path,
/// across a wrap or across a swap alike; either is skipped and never becomes a base;</item>
/// <item>a replacement between t0 and t1 joins the old meter's final reading and the new meter's first; a reading
/// at exactly the replacement's time is the old meter's;</item>
/// <item>a fall is a rollover only when the wrapped delta is non-negative and plausible; a fall that stays is a
/// reset;</item>
/// <item>a delta above the physical maximum after a register that stood still is the stuck register catching up,
/// spread over the time it stood; otherwise it is a persistent step, rejected and kept aside;</item>
/// <item>a span longer than 1.5 intervals is a gap: spread linearly up to the maximum gap, else put whole into
/// the interval where readings resume; either way flagged estimated.</item>
/// </list>
/// No amount is ever negative. What is counted, estimated or rejected adds up to the counter's advance, corrected
/// for rollovers and replacements; only a reset loses what the counter showed before it restarted.
/// </remarks>
public static class ConsumptionCalculator
{
    /// <param name="resume">The checkpoint to continue from; null to start at the first reading.</param>
    /// <param name="readings">Readings after the checkpoint's anchor, in time order.</param>
    /// <param name="from">Intervals and checkpoints before this are left out: the caller keeps them from an earlier run.</param>
    public static CalculationResult Compute(MeterId meter, CounterRules rules, ConsumptionCheckpoint? resume, IReadOnlyList<Reading> readings, DateTimeOffset from)
    {
        var intervals = new IntervalAccumulator(rules);
        IReadOnlyList<ConsumptionCheckpoint> checkpoints;
        if (rules.Mode == ReadingMode.Interval)
        {
            IntervalReadings(rules, readings, intervals);
            checkpoints = [];
        }
        else
        {
            checkpoints = new CounterWalk(rules, resume, readings, intervals).Run(from);
        }

        return new CalculationResult(intervals.ToIntervals(meter, from), checkpoints);
    }

    private static void IntervalReadings(CounterRules rules, IReadOnlyList<Reading> readings, IntervalAccumulator intervals)
    {
        var hours = rules.Grid.Length.TotalHours;
        foreach (var r in readings)
        {
            if (!r.IsUsable)
            {
                continue;
            }

            var start = rules.Grid.FloorBefore(r.Timestamp);
            if (r.Value < 0)
            {
                intervals.Add(start, 0, 0, 0, IntervalFlags.Reset);
            }
            else if (rules.MaxPerHour is { } max && r.Value > max * hours)
            {
                intervals.Add(start, 0, 0, r.Value, IntervalFlags.SpikeRejected);
            }
            else
            {
                intervals.Add(start, r.Value, 0, 0, IntervalFlags.None);
            }
        }
    }

    private enum StepKind
    {
        /// <summary>A plausible advance (possibly across a wrap or replacement).</summary>
        Ok,

        /// <summary>The counter fell and no plausible wrap explains it.</summary>
        Fall,

        /// <summary>An advance above the physical maximum over its span.</summary>
        TooLarge,
    }

    /// <param name="Amount">The advance; for a fall, only the old meter's part before a replacement.</param>
    private readonly record struct Step(StepKind Kind, double Amount, IntervalFlags Flags);

    /// <summary>An accepted reading, with the index of the reading it was decided at and since when the counter stood at its value.</summary>
    private readonly record struct Base(int Index, Reading Reading, DateTimeOffset RunSince);

    /// <summary>One pass over a counter's readings; holds the base and what the checkpoints need.</summary>
    private sealed class CounterWalk(CounterRules rules, ConsumptionCheckpoint? resume, IReadOnlyList<Reading> all, IntervalAccumulator intervals)
    {
        private readonly List<Reading> _readings = Usable(all, resume);
        private readonly List<Base> _bases = [];
        private Reading _base;
        private Reading _runStart;
        private IntervalFlags _pending;

        private static List<Reading> Usable(IReadOnlyList<Reading> all, ConsumptionCheckpoint? resume)
        {
            var result = new List<Reading>(all.Count);
            foreach (var r in all)
            {
                var after = result.Count > 0 ? result[^1].Timestamp : resume?.Anchor.Timestamp;
                if (r.IsUsable && (after is null || r.Timestamp > after))
                {
                    result.Add(r);
                }
            }

            return result;
        }

        public List<ConsumptionCheckpoint> Run(DateTimeOffset from)
        {
            const int Lookahead = CounterRules.RecoveryLookahead;
            if (resume is { } checkpoint)
            {
                Accept(-1, checkpoint.Anchor);
                _runStart = checkpoint.Anchor with { Timestamp = checkpoint.RunSince };
                _bases[^1] = _bases[^1] with { RunSince = checkpoint.RunSince };
            }

            var n = _readings.Count;
            for (var i = 0; i < n; i++)
            {
                var r = _readings[i];
                if (_bases.Count == 0)
                {
                    if (Possible(r))
                    {
                        Accept(i, r);
                    }

                    continue;
                }

                if (!Possible(r))
                {
                    _pending |= IntervalFlags.Unavailable;
                    continue;
                }

                var step = Advance(_base, r);

                // Where the register stood still and the step from it is impossible, the reading may be the register
                // catching up (across a wrap it even seems to fall): it is judged from where the register began to
                // stand, so that later readings, plausible from there only because time went on, do not make it a bad read.
                var catchUp = step.Kind != StepKind.Ok && _runStart.Timestamp < _base.Timestamp && Advance(_runStart, r) is { Kind: StepKind.Ok } c ? c : (Step?)null;
                if (ComesBack(catchUp is null ? _base : _runStart, catchUp ?? step, i))
                {
                    _pending |= IntervalFlags.Unavailable;
                    continue;
                }

                // A fall, an excessive step or a catch-up that nothing in the window comes back from is decided only on a
                // full window, so that the decision never depends on where a run of readings happened to be cut.
                if (step.Kind != StepKind.Ok && i + Lookahead >= n)
                {
                    break;
                }

                if (step.Kind == StepKind.Ok)
                {
                    intervals.Distribute(_base.Timestamp, r.Timestamp, step.Amount, 0, step.Flags | _pending, estimated: false);
                }
                else if (catchUp is { } caughtUp)
                {
                    // The catch-up is spread over the time the register stood; the zeros already placed there stay.
                    intervals.Distribute(_runStart.Timestamp, r.Timestamp, caughtUp.Amount, 0, caughtUp.Flags | _pending | IntervalFlags.Stuck, estimated: true);
                }
                else if (step.Kind == StepKind.Fall)
                {
                    // The counter restarted (a gateway's pulse counter after a power loss, a meter cleared): what it
                    // shows now was used since it restarted from zero, if the meter could have used that much.
                    var restarted = rules.MaxPerHour is not null && r.Value <= Limit(_base.Timestamp, r.Timestamp) ? r.Value : 0;
                    intervals.Distribute(_base.Timestamp, r.Timestamp, step.Amount + restarted, 0, step.Flags | _pending | IntervalFlags.Reset, estimated: restarted > 0);
                }
                else
                {
                    intervals.Distribute(_base.Timestamp, r.Timestamp, 0, step.Amount, step.Flags | _pending | IntervalFlags.SpikeRejected, estimated: false);
                }

                Accept(i, r);
            }

            return Checkpoints(from);
        }

        private void Accept(int index, Reading r)
        {
            if (_bases.Count == 0 || r.Value != _base.Value)
            {
                _runStart = r;
            }

            _base = r;
            _pending = IntervalFlags.None;
            _bases.Add(new Base(index, r, _runStart.Timestamp));
        }

        /// <summary>A value that no counter can show: below zero, or above the register's wrap point.</summary>
        private bool Possible(Reading r) =>
            r.Value >= 0 && (rules.RolloverAt is not { } max || r.Value <= max + Noise(max));

        /// <summary>
        /// Whether readings[i] is one the series comes back from: a reading in the window ahead lies on a plausible
        /// path from <paramref name="origin"/> (the base, or where a standing register began to stand) with less advance
        /// than it, so readings[i] cannot be on the counter's path.
        /// </summary>
        private bool ComesBack(Reading origin, Step step, int i)
        {
            var last = Math.Min(_readings.Count - 1, i + CounterRules.RecoveryLookahead);
            var current = _readings[i];
            var plain = step.Kind == StepKind.Ok && step.Flags == IntervalFlags.None && rules.Replacements.Count == 0;
            for (var j = i + 1; j <= last; j++)
            {
                var later = _readings[j];

                // The common case, a counter going on up with no wrap or swap in between at a pace the meter can use,
                // shows neither less advance nor a reading left behind.
                if (plain && later.Value >= current.Value && (rules.MaxPerHour is null || later.Value - current.Value <= Limit(current.Timestamp, later.Timestamp)))
                {
                    continue;
                }

                if (!Possible(later) || Advance(origin, later) is not { Kind: StepKind.Ok } path)
                {
                    continue;
                }

                // The reading ahead is evidence only if it goes on plausibly to the one after it (where the window has
                // one): a bad read of its own (a 0 just after a wrap is a smaller plausible wrap from the base) would
                // otherwise condemn the good reading before it.
                var corroborated = j == last || Advance(later, _readings[j + 1]) is { Kind: StepKind.Ok };
                if (!corroborated)
                {
                    continue;
                }

                // Any plausible reading ahead shows that a fall was a bad read; for a rise, the reading ahead must have
                // less advance, or it is the counter going on from a step (a stuck register catching up stays up). A
                // plausible rise is condemned only if the series does not go on from it past the reading ahead: after
                // a swap or a wrap a 0 is a plausible smaller advance, and a good 40 before it, from which 80 follows,
                // is not the one that is wrong.
                if (step.Kind == StepKind.Fall
                    || (path.Amount < step.Amount - Noise(Math.Max(origin.Value, step.Amount))
                        && (step.Kind != StepKind.Ok || j == last || Advance(current, _readings[j + 1]) is not { Kind: StepKind.Ok })))
                {
                    return true;
                }

                // Below the path: the reading ahead is further along from the origin, plausibly, but too far ahead of
                // this reading to have been reached from it (too large a step, or a wrap too large to be one). A read
                // far too low is mostly a fall, caught above; just after a wrap or a swap it is a smaller plausible wrap
                // or swap instead (a new register's 6 read as 3), and taking it made the next step a persistent one,
                // rejected. Skipping a true reading here loses nothing: the next accepted one carries its advance. A
                // register standing at the origin's value is left to the catch-up rule above, which spreads what it hid
                // over the time it stood. Only a reading ahead that the window shows going on counts here (not the
                // window's last).
                if (step.Kind == StepKind.Ok && j < last && Math.Abs(current.Value - origin.Value) > Noise(origin.Value)
                    && path.Amount > step.Amount + Noise(Math.Max(origin.Value, path.Amount)) && Advance(current, later) is not { Kind: StepKind.Ok })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The counter's advance from <paramref name="from"/> to <paramref name="to"/>, and whether it is plausible.</summary>
        private Step Advance(Reading from, Reading to)
        {
            var flags = IntervalFlags.None;
            var amount = 0.0;
            var counter = from.Value;
            foreach (var replacement in rules.Replacements)
            {
                // A reading at exactly the replacement's time is the old meter's: the technician writes the final
                // reading down at that moment.
                if (replacement.At >= from.Timestamp && replacement.At < to.Timestamp)
                {
                    if (Segment(counter, replacement.OldFinal, from.Timestamp, to.Timestamp, ref flags) is not { } old)
                    {
                        return new Step(StepKind.Fall, amount, flags);
                    }

                    amount += old;
                    counter = replacement.NewInitial;
                    flags |= IntervalFlags.Replacement;
                }
            }

            if (Segment(counter, to.Value, from.Timestamp, to.Timestamp, ref flags) is not { } last)
            {
                return new Step(StepKind.Fall, amount, flags);
            }

            amount += last;
            return rules.MaxPerHour is not null && amount > Limit(from.Timestamp, to.Timestamp)
                ? new Step(StepKind.TooLarge, amount, flags)
                : new Step(StepKind.Ok, amount, flags);
        }

        /// <summary>One register's advance from <paramref name="counter"/> to <paramref name="value"/>, across a plausible wrap; null for a fall.</summary>
        private double? Segment(double counter, double value, DateTimeOffset since, DateTimeOffset until, ref IntervalFlags flags)
        {
            if (value >= counter - Noise(counter))
            {
                return Math.Max(0, value - counter);
            }

            if (rules.RolloverAt is { } max && counter <= max)
            {
                // With a physical maximum a wrap must fit in it; without one, the register must go from its top half to its bottom half.
                var wrapped = max - counter + value;
                var plausible = rules.MaxPerHour is not null ? wrapped <= Limit(since, until) : counter >= max / 2 && value < max / 2;
                if (plausible)
                {
                    flags |= IntervalFlags.Rollover;
                    return wrapped;
                }
            }

            return null;
        }

        private double Limit(DateTimeOffset t0, DateTimeOffset t1)
        {
            var limit = rules.MaxPerHour!.Value * (t1 - t0).TotalHours;
            return limit + Noise(limit);
        }

        /// <summary>
        /// Final checkpoints at every checkpoint boundary T from <paramref name="from"/> on: the latest base at or before T,
        /// and as horizon the end of the lookahead window of the first base after T that ends whatever could still
        /// reach back before T (a run of a standing register that a catch-up may spread over).
        /// </summary>
        private List<ConsumptionCheckpoint> Checkpoints(DateTimeOffset from)
        {
            var result = new List<ConsumptionCheckpoint>();
            if (_bases.Count < 2)
            {
                return result;
            }

            var grid = rules.Grid.Length >= TimeSpan.FromHours(1) ? rules.Grid : rules.Grid with { Length = TimeSpan.FromHours(1) };
            var boundary = grid.Floor(_bases[0].Reading.Timestamp);
            if (boundary < _bases[0].Reading.Timestamp)
            {
                boundary = grid.Next(boundary);
            }

            int latest = 0, closing = 1;
            while (true)
            {
                while (latest + 1 < _bases.Count && _bases[latest + 1].Reading.Timestamp <= boundary)
                {
                    latest++;
                }

                closing = Math.Max(closing, latest + 1);
                while (closing < _bases.Count && !Closes(_bases[closing], boundary))
                {
                    closing++;
                }

                var horizon = closing < _bases.Count ? _bases[closing].Index + CounterRules.RecoveryLookahead : int.MaxValue;
                if (horizon >= _readings.Count)
                {
                    return result;
                }

                if (boundary >= from)
                {
                    var anchor = _bases[latest];
                    result.Add(new ConsumptionCheckpoint(boundary, anchor.Reading, anchor.RunSince, _readings[horizon].Timestamp));
                }

                boundary = grid.Next(boundary);
            }
        }

        /// <summary>Whether after this base nothing can change intervals before <paramref name="boundary"/>.</summary>
        private bool Closes(Base b, DateTimeOffset boundary) =>
            b.Reading.Timestamp > boundary
            && (rules.MaxPerHour is null || b.RunSince >= boundary || b.Reading.Timestamp - b.RunSince >= rules.MaxGap);
    }

    /// <summary>
    /// Rounding left by unit conversion and multipliers (a counter times 0.001, say) can make an unchanged counter
    /// read a hair lower; that is no fall.
    /// </summary>
    internal static double Noise(double counter) => 1e-9 * Math.Max(1, Math.Abs(counter));
}
