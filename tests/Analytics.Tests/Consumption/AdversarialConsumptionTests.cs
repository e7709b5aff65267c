using CsCheck;
using EnergyMonitor.Analytics.Consumption;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Analytics.Tests.Consumption;

/// <summary>
/// Properties over generated meter histories with the faults real gateways produce: single garbage readings up and
/// down by any factor, gateway zeros, a register that stands still, gaps of any length, rollovers at any register
/// size, replacements with the swap reading at, before and after the recorded time, resets, duplicates, late and
/// out-of-order arrival, in zones with and without daylight saving. The truth behind each history is known, so each
/// local day's consumption is checked against it.
/// </summary>
/// <remarks>
/// The generator makes every fault recognisable, which is the premise under which any algorithm can get it right:
/// a garbage value lies off the counter's path through the readings around it (a value between its neighbours is
/// indistinguishable from a good one, unless the meter could not have used what separates it from the next), a standing
/// register hides more use than the meter can use in one interval (or it is indistinguishable from no use), and
/// faults are a lookahead window apart. Bad reads are also drawn one to three readings after a wrap and after a swap,
/// where the path runs across the register's top or from the old meter to the new one, and judged on that path.
/// </remarks>
public sealed class AdversarialConsumptionTests
{
    private const int Lookahead = CounterRules.RecoveryLookahead;

    /// <summary>
    /// Cases per property: 5,000 in CI (about 15 s); ENERGYMONITOR_PROPERTY_CASES=100000 for the full run
    /// docs/PERFORMANCE.md and the closing notes quote.
    /// </summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("ENERGYMONITOR_PROPERTY_CASES"), out var n) && n > 0 ? n : 5_000;
    private const double Cap = 40; // kWh per 15 minutes at most: a 160 kW feeder
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(15);
    private static readonly MeterId M = new("m1");

    private static readonly string[] Zones = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu"];

    /// <summary>Days whose local clocks change (EU and US daylight saving, Lord Howe's half hour), and two ordinary ones.</summary>
    private static readonly DateTime[] Dates =
    [
        new(2026, 3, 8), new(2026, 3, 29), new(2026, 10, 25), new(2026, 11, 1), new(2026, 4, 5), new(2026, 10, 4), new(2026, 1, 31), new(2026, 7, 15),
    ];

    private enum Fault
    {
        SpikeUp,
        SpikeDown,
        GatewayZero,
        MissingQuality,
        Stuck,
        Gap,
        Reset,
        ReplacementAt,
        ReplacementBefore,
        ReplacementAfter,

        /// <summary>The register wraps within this step, and one of the three readings after the wrap is bad.</summary>
        BadReadAfterWrap,

        /// <summary>The meter is exchanged at this reading's time, and one of the two readings after it is bad.</summary>
        BadReadAfterReplacement,

        /// <summary>A reading below the counter's path but above the one before: too low for the next step to be reachable from it.</summary>
        LowRead,
    }

    /// <summary>What a bad read near a wrap or a swap shows, drawn by a fault's second parameter.</summary>
    private enum BadRead
    {
        Up,
        Down,
        Zero,
        Low,
    }

    /// <summary>A fault as drawn: kind, where, and two free parameters in [0, 1).</summary>
    private readonly record struct Draw(Fault Kind, int Position, double A, double B);

    /// <summary>A time range whose readings are not all trustworthy; lossy ones may lose part of their true use.</summary>
    private readonly record struct Uncertain(DateTimeOffset From, DateTimeOffset To, bool Lossy);

    private sealed record Scenario(
        CounterRules Rules,
        TimeZoneInfo Zone,
        DateTimeOffset Start,
        double[] Truth,
        List<Reading> Readings,
        List<Uncertain> Ranges,
        DateTimeOffset AssessedUntil,
        string Description)
    {
        public override string ToString() => Description;

        /// <summary>The true counter at any instant: use is even within each 15-minute step.</summary>
        public double TruthAt(DateTimeOffset t)
        {
            var position = (t - Start) / Step;
            var k = (int)Math.Floor(position);
            if (k >= Truth.Length - 1)
            {
                return Truth[^1];
            }

            return Truth[k] + ((Truth[k + 1] - Truth[k]) * (position - k));
        }
    }

    private static readonly Gen<Scenario> Scenarios =
        from zone in Gen.Int[0, Zones.Length - 1]
        from date in Gen.Int[0, Dates.Length - 1]
        from days in Gen.Int[2, 4]
        from limited in Gen.Bool
        from register in Gen.Int[0, 4]
        from start in Gen.Double[0, 1]
        from maxGapHours in Gen.Int[0, 2].Select(i => new[] { 1, 3, 6 }[i])
        from load in Gen.Double[0.05, 1].Array[(days * 100) + Lookahead + 8]
        from draws in Gen.Select(Gen.Enum<Fault>(), Gen.Int[1, days * 100], Gen.Double[0, 1], Gen.Double[0, 1], (k, p, a, b) => new Draw(k, p, a, b)).Array[0, 10]
        select Build(Zones[zone], Dates[date], days, limited, register, start, maxGapHours, load, draws);

    private static Scenario Build(string zoneId, DateTime date, int days, bool limited, int register, double startFraction, int maxGapHours, double[] load, Draw[] draws)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var start = new DateTimeOffset(date, zone.GetUtcOffset(date));
        var end = new DateTimeOffset(date.AddDays(days), zone.GetUtcOffset(date.AddDays(days)));
        var steps = (int)((end - start) / Step) + Lookahead + 4;
        double? rollover = register == 0 ? null : Math.Pow(10, 4 + register);

        // Faults a lookahead window apart, none at the first reading or in the clean tail.
        var faults = new List<Draw>();
        foreach (var d in draws.OrderBy(d => d.Position))
        {
            var length = Length(d);
            if (d.Position + length + Lookahead + 2 < steps - Lookahead - 4 && (faults.Count == 0 || d.Position > faults[^1].Position + Length(faults[^1]) + Lookahead + 2))
            {
                faults.Add(d);
            }
        }

        // A standing register is recognisable only when it hides more than one interval's worth of use.
        var increments = new double[steps];
        for (var k = 1; k < steps; k++)
        {
            increments[k] = load[Math.Min(k, load.Length - 1)] * Cap;
        }

        foreach (var f in faults.Where(f => f.Kind == Fault.Stuck))
        {
            for (var k = f.Position; k <= f.Position + Length(f); k++)
            {
                increments[k] = Math.Max(increments[k], 0.6 * Cap);
            }
        }

        var truth = new double[steps];
        var first = rollover is { } r0 ? r0 - (startFraction * 16_000) : 1_000 + (startFraction * 1e6);

        // A bad read after a wrap needs the wrap: the register is started so that it crosses its top within that step.
        if (rollover is { } top && faults.FirstOrDefault(f => f.Kind == Fault.BadReadAfterWrap) is { Kind: Fault.BadReadAfterWrap } wrapAt)
        {
            first = top - increments.Take(wrapAt.Position).Sum() - (increments[wrapAt.Position] * (0.05 + (0.9 * wrapAt.A)));
        }
        truth[0] = first;
        for (var k = 1; k < steps; k++)
        {
            truth[k] = truth[k - 1] + increments[k];
        }

        var scenario = new Scenario(null!, zone, start, truth, [], [], end, "");
        var t = (int k) => start + (Step * k);

        // The device's register: the truth, less an offset that resets and replacements move, wrapped.
        var offsets = new List<(DateTimeOffset From, double Offset)> { (DateTimeOffset.MinValue, 0) };
        double Device(DateTimeOffset at, bool atBelongsBefore = false)
        {
            var offset = offsets.Last(o => o.From < at || (o.From == at && !atBelongsBefore)).Offset;
            var value = scenario.TruthAt(at) - offset;
            return rollover is { } max ? value % max : value;
        }

        var replacements = new List<CounterReplacement>();
        var ranges = new List<Uncertain>();
        var kept = new List<Draw>();
        var values = new double?[steps];
        var quality = new ReadingQuality[steps];

        foreach (var f in faults)
        {
            var k = f.Position;
            switch (f.Kind)
            {
                case Fault.Reset:
                    {
                        // The counter restarts from 0 at some instant in (t[k-1], t[k]); recognisable as a reset only when
                        // it stood well above what a window of use could bring back, and no wrap explains the fall.
                        var before = Device(t(k - 1));
                        if (before < 2_000 || (rollover is { } max && (before > max - 2_000 || (!limited && before >= max / 2))))
                        {
                            continue;
                        }

                        var at = t(k - 1) + (Step * (0.05 + (0.9 * f.A)));
                        offsets.Add((at, scenario.TruthAt(at)));
                        ranges.Add(new Uncertain(t(k - 1), t(k), Lossy: true));
                        break;
                    }

                case Fault.ReplacementAt or Fault.ReplacementBefore or Fault.ReplacementAfter or Fault.BadReadAfterReplacement:
                    {
                        var at = f.Kind switch
                        {
                            Fault.ReplacementAt or Fault.BadReadAfterReplacement => t(k),
                            Fault.ReplacementBefore => t(k) + (Step * (0.05 + (0.9 * f.A))),
                            _ => t(k) - (Step * (0.05 + (0.9 * f.A))),
                        };
                        var oldFinal = Device(at, atBelongsBefore: true);
                        var newInitial = f.Kind == Fault.BadReadAfterReplacement ? 0 : Math.Round(f.B * 500, 1);
                        offsets.Add((at, scenario.TruthAt(at) - newInitial));
                        replacements.Add(new CounterReplacement(at, oldFinal, newInitial));
                        break;
                    }

                default:
                    break;
            }

            kept.Add(f);
        }

        for (var k = 0; k < steps; k++)
        {
            // A reading at exactly a replacement's time is the old meter's.
            values[k] = Device(t(k), atBelongsBefore: true);
        }

        foreach (var f in kept)
        {
            var k = f.Position;
            switch (f.Kind)
            {
                case Fault.SpikeUp or Fault.SpikeDown or Fault.GatewayZero:
                    {
                        // Off the path through its window: above every reading after it, or below every reading before it.
                        var window = Enumerable.Range(k - Lookahead - 1, (2 * Lookahead) + 3).Where(j => j >= 0 && j < steps).Select(j => values[j]!.Value).ToList();
                        var monotone = window.Zip(window.Skip(1)).All(p => p.Second >= p.First);
                        if (!monotone || replacements.Any(x => x.At > t(k - Lookahead - 1) && x.At < t(k + Lookahead + 1)))
                        {
                            continue;
                        }

                        var factor = Math.Exp(f.A * 14);
                        var garbage = f.Kind switch
                        {
                            Fault.SpikeUp => (window[^1] * factor) + 1,
                            Fault.SpikeDown => window[0] / factor * f.B * 0.999,
                            _ => 0,
                        };
                        if (f.Kind != Fault.SpikeUp && garbage >= window[0] - 1e-6)
                        {
                            continue; // the register stood at 0 just before: a 0 now is on its path
                        }

                        values[k] = garbage;
                        ranges.Add(new Uncertain(t(k - 1), t(k + 1), Lossy: false));
                        break;
                    }

                case Fault.BadReadAfterWrap or Fault.BadReadAfterReplacement or Fault.LowRead:
                    {
                        var bad = f.Kind == Fault.LowRead ? BadRead.Low : (BadRead)(int)(f.B * 4);
                        var at = f.Kind switch
                        {
                            Fault.BadReadAfterWrap => k + (int)(f.A * 3),
                            Fault.BadReadAfterReplacement => k + 1 + (int)(f.A * 2),
                            _ => k,
                        };
                        if (f.Kind == Fault.BadReadAfterWrap && (rollover is null || !(values[k]!.Value < values[k - 1]!.Value)))
                        {
                            continue; // no register to wrap, or it did not within the step
                        }

                        if (PathBadRead(bad, at, f.A, limited, rollover, values, scenario, t) is not { } garbage)
                        {
                            continue; // on the counter's path: indistinguishable from a good reading
                        }

                        values[at] = garbage;
                        ranges.Add(new Uncertain(t(at - 1), t(at + 1), Lossy: false));
                        break;
                    }

                case Fault.MissingQuality:
                    values[k] = 0;
                    quality[k] = ReadingQuality.Missing;
                    ranges.Add(new Uncertain(t(k - 1), t(k + 1), Lossy: false));
                    break;

                case Fault.Gap:
                    for (var j = k; j < k + Length(f); j++)
                    {
                        values[j] = null;
                    }

                    ranges.Add(new Uncertain(t(k - 1), t(k + Length(f)), Lossy: false));
                    break;

                case Fault.Stuck:
                    if (!limited)
                    {
                        continue; // without a physical maximum a standing register is indistinguishable from no use
                    }

                    for (var j = k; j < k + Length(f); j++)
                    {
                        values[j] = values[k - 1];
                    }

                    ranges.Add(new Uncertain(t(k - 1), t(k + Length(f)), Lossy: false));
                    break;

                default:
                    break;
            }
        }

        var readings = new List<Reading>();
        for (var k = 0; k < steps; k++)
        {
            if (values[k] is { } v)
            {
                readings.Add(new Reading(M, t(k), v, quality[k]));
            }
        }

        var rules = new CounterRules(ReadingMode.Cumulative, new IntervalGrid(Step, zone), rollover, limited ? Cap * 4 : null, replacements, TimeSpan.FromHours(maxGapHours));
        var description = $"{zoneId} from {date:yyyy-MM-dd}, {days} days, register {rollover?.ToString("G", System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, limit {limited}, max gap {maxGapHours} h, faults: "
            + string.Join(", ", kept.Select(f => $"{f.Kind}@{f.Position}x{Length(f)}"));
        return scenario with { Rules = rules, Readings = readings, Ranges = ranges, Description = description };
    }

    /// <summary>
    /// A bad value for reading <paramref name="k"/>, judged on the counter's path, which runs on across a wrap and from
    /// the old meter to the new one (the truth). Null when the value would lie on that path, where no algorithm can
    /// tell it from a good reading: above the previous reading and close enough below the next for the meter to have
    /// used the difference.
    /// </summary>
    private static double? PathBadRead(BadRead kind, int k, double a, bool limited, double? rollover, double?[] values, Scenario s, Func<int, DateTimeOffset> t)
    {
        var device = values[k]!.Value;
        double previous = s.TruthAt(t(k - 1)), here = s.TruthAt(t(k)), next = s.TruthAt(t(k + 1));

        // As for the garbage of the straight path: above every reading of the window after it, or below every one before it.
        double windowStart = s.TruthAt(t(Math.Max(0, k - Lookahead - 1))), windowEnd = s.TruthAt(t(k + Lookahead + 1));
        double PathOf(double value) => here - (device - value); // the same register, wrapped as often

        // Above the reading before by more than the rounding a counter's value may carry (1e-9 of it), or it is a
        // register standing still, which the stuck rule judges.
        var above = 1e-3 + (1e-8 * Math.Max(Math.Abs(previous), Math.Abs(device)));
        var garbage = kind switch
        {
            BadRead.Up => device + (windowEnd - here) + (Cap * (0.05 + (a * 30))) + 2,
            BadRead.Down => device * (0.2 + (0.6 * a)), // the case found: about half the true value
            BadRead.Zero => 0,
            _ => device - (here - (previous + above + (a * (next - (1.1 * Cap) - previous - above)))),
        };
        if (kind == BadRead.Low && !(limited && next - (1.1 * Cap) > previous + above))
        {
            return null;
        }

        // Below this register's zero is before its wrap, on the same path; a value no register shows is off every path.
        var path = garbage >= 0 && (rollover is not { } top || garbage <= top) ? PathOf(garbage) : double.NaN;
        if (garbage < 0 && rollover is { } max && garbage + max >= 0)
        {
            path = PathOf(garbage);
            garbage += max;
        }

        var standing = Math.Abs(garbage - values[k - 1]!.Value) < above; // the register standing still: the stuck rule's, not a bad read
        var offPath = double.IsNaN(path) // no counter can show it
            || path < windowStart - 1 // below every reading before it in the window: a fall
            || path > windowEnd + 1 // above every reading after it in the window: the series comes back
            || (limited && path > previous + above && next - path > 1.1 * Cap && next - previous < 1.9 * Cap); // the next step from it is more than the meter can use, with room
        return offPath && !standing && Math.Abs(garbage - device) > 1e-6 ? garbage : null;
    }

    private static int Length(Draw d) => d.Kind switch
    {
        Fault.BadReadAfterWrap => 4,
        Fault.BadReadAfterReplacement => 4,
        Fault.Gap => 1 + (int)(d.B * d.B * 200),
        Fault.Stuck => 2 + (int)(d.B * d.B * 200),
        _ => 1,
    };

    private static List<RollupRow> Days(Scenario s, IReadOnlyList<ConsumptionInterval> intervals) =>
        [.. Rollup.OfIntervals(M.Value, intervals, RollupPeriod.Day, s.Zone)];

    private static string Trace(Scenario s, IReadOnlyList<ConsumptionInterval> intervals, DateTimeOffset from, DateTimeOffset to)
    {
        var lines = new List<string>();
        foreach (var i in intervals.Where(i => i.Start >= from && i.Start < to))
        {
            var truth = s.TruthAt(i.Start + Step) - s.TruthAt(i.Start);
            if (Math.Abs(truth - i.Amount) > 1e-6)
            {
                var k = (int)((i.Start - s.Start) / Step);
                lines.Add($"#{k} {i.Start:HH:mm} amount {i.Amount:F3} truth {truth:F3} {i.Flags} | readings " + string.Join(" ", s.Readings.Where(r => Math.Abs((r.Timestamp - i.Start) / Step) <= 2).Select(r => $"{r.Timestamp:HH:mm}={r.Value:F3}")));
            }
        }

        return "\n" + string.Join("\n", lines.Take(12)) + "\nreplacements: " + string.Join("; ", s.Rules.Replacements);
    }

    [Fact]
    public void Each_local_day_is_exact_unless_a_fault_crosses_its_edges_and_then_the_truth_lies_within_its_estimated_part()
    {
        Scenarios.Sample(s =>
        {
            var result = ConsumptionCalculator.Compute(M, s.Rules, null, s.Readings, DateTimeOffset.MinValue);
            Assert.All(result.Intervals, i => Assert.True(i.Amount >= 0 && i.Rejected >= 0 && i.Estimated >= 0 && i.Estimated <= i.Amount + 1e-9, $"{i}"));
            Assert.True(result.Intervals.All(i => i.Rejected == 0), $"{s}: a spike was kept aside" + Trace(s, result.Intervals, s.Start, s.AssessedUntil.AddDays(1))); // every fault here is recognised, none is a spike kept aside

            foreach (var day in Days(s, result.Intervals).Where(d => d.Start < s.AssessedUntil))
            {
                var dayEnd = RollupPeriods.Next(RollupPeriod.Day, day.Start, s.Zone);
                var truth = s.TruthAt(dayEnd) - s.TruthAt(day.Start);
                var crossed = s.Ranges.Any(r => (r.From < day.Start && r.To > day.Start) || (r.From < dayEnd && r.To > dayEnd));
                var lossy = s.Ranges.Any(r => r.Lossy && r.From < dayEnd && r.To > day.Start);
                var tolerance = 1e-6 * Math.Max(1, truth);
                if (!crossed && !lossy)
                {
                    Assert.True(Math.Abs(day.Amount - truth) <= tolerance, $"{s}: day {day.Start:O} counted {day.Amount}, truth {truth}" + Trace(s, result.Intervals, day.Start, dayEnd));
                    continue;
                }

                // The measured part is exact use; what was estimated lies somewhere in the uncertain ranges touching the day.
                var measured = day.Amount - day.Estimated;
                var hidden = s.Ranges.Where(r => r.From < dayEnd && r.To > day.Start).Sum(r => s.TruthAt(r.To) - s.TruthAt(r.From));
                Assert.True(measured <= truth + tolerance, $"{s}: day {day.Start:O} measured {measured} > truth {truth}");
                Assert.True(truth <= measured + hidden + tolerance, $"{s}: day {day.Start:O} truth {truth} > measured {measured} + hidden {hidden}" + Trace(s, result.Intervals, day.Start, dayEnd));
            }

            // Over the whole history, only resets lose use, and only what the counter showed before it restarted.
            var total = result.Intervals.Sum(i => i.Amount);
            var advance = s.Truth[^1] - s.Truth[0];
            var lost = s.Ranges.Where(r => r.Lossy).Sum(r => s.TruthAt(r.To) - s.TruthAt(r.From));
            Assert.True(total <= advance + (1e-6 * advance) && total >= advance - lost - (1e-6 * advance), $"{s}: total {total}, advance {advance}, lossy {lost}" + Trace(s, result.Intervals, s.Start, s.AssessedUntil.AddDays(1)));
        }, iter: Cases, threads: 1);
    }

    /// <summary>How the readings reach the store: batches in arrival order, some late, some sent twice.</summary>
    private static readonly Gen<(Scenario Scenario, int[] Lateness, int[] Cuts, bool[] Resent)> Arrivals =
        from s in Scenarios
        from lateness in Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[1, 300])).Array[s.Readings.Count]
        from cuts in Gen.Int[1, s.Readings.Count - 1].Array[1, 6]
        from resent in Gen.Frequency((20, Gen.Const(false)), (1, Gen.Const(true))).Array[s.Readings.Count]
        select (s, lateness, cuts, resent);

    [Fact]
    public void Passes_over_late_duplicated_out_of_order_batches_give_the_rows_of_one_pass_over_everything()
    {
        Arrivals.Sample(x =>
        {
            var (s, lateness, cuts, resent) = x;
            var order = s.Readings.Select((r, i) => (r, key: i + lateness[i], i)).OrderBy(p => p.key).ThenBy(p => p.i).ToList();
            var arrival = new List<Reading>();
            foreach (var (r, _, i) in order)
            {
                arrival.Add(r);
                if (resent[i])
                {
                    arrival.Add(r);
                }
            }

            var stored = new SortedDictionary<DateTimeOffset, Reading>();
            var intervals = new SortedDictionary<DateTimeOffset, ConsumptionInterval>();
            var checkpoints = new List<ConsumptionCheckpoint>();
            var bounds = cuts.Select(c => Math.Min(c, arrival.Count)).Append(arrival.Count).Distinct().Order().ToList();
            var taken = 0;
            foreach (var bound in bounds)
            {
                var batch = arrival.Skip(taken).Take(bound - taken).ToList();
                taken = bound;
                if (batch.Count == 0)
                {
                    continue;
                }

                // What the engine does with a change mark: resume from the latest checkpoint the change leaves valid,
                // as IConsumptionStore.CheckpointBeforeAsync answers it (ConsumptionStoreContract holds each store to it).
                foreach (var r in batch)
                {
                    stored[r.Timestamp] = r;
                }

                var changedFrom = batch.Min(r => r.Timestamp);
                var resume = checkpoints.Where(c => c.Horizon < changedFrom).OrderByDescending(c => c.Boundary).Cast<ConsumptionCheckpoint?>().FirstOrDefault();
                var series = stored.Values.Where(r => resume is null || r.Timestamp > resume.Value.Anchor.Timestamp).ToList();
                var from = resume?.Boundary ?? s.Rules.Grid.Floor(series[0].Timestamp);
                var pass = ConsumptionCalculator.Compute(M, s.Rules, resume, series, from);
                foreach (var start in intervals.Keys.Where(k => k >= from).ToList())
                {
                    intervals.Remove(start);
                }

                checkpoints.RemoveAll(c => c.Boundary >= from);
                checkpoints.AddRange(pass.Checkpoints);
                foreach (var i in pass.Intervals)
                {
                    intervals[i.Start] = i;
                }
            }

            var full = ConsumptionCalculator.Compute(M, s.Rules, null, s.Readings, DateTimeOffset.MinValue);
            Assert.Equal(full.Intervals.Select(i => i.Start), intervals.Keys);
            foreach (var (a, b) in full.Intervals.Zip(intervals.Values))
            {
                Assert.True(Math.Abs(a.Amount - b.Amount) < 1e-6 * Math.Max(1, a.Amount) && Math.Abs(a.Estimated - b.Estimated) < 1e-6 * Math.Max(1, a.Amount) && a.Flags == b.Flags,
                    $"{s}, cuts {string.Join(",", bounds)}: {a} vs {b}");
            }

            Assert.Equal(full.Checkpoints, checkpoints);
        }, iter: Cases, threads: 1);
    }
}
