using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Consumption;

/// <summary>Amounts per grid interval while a pass runs.</summary>
internal sealed class IntervalAccumulator(CounterRules rules)
{
    private readonly SortedDictionary<DateTimeOffset, Slot> _slots = [];

    public void Add(DateTimeOffset start, double amount, double estimated, double rejected, IntervalFlags flags)
    {
        if (!_slots.TryGetValue(start, out var slot))
        {
            slot = new Slot();
            _slots[start] = slot;
        }

        slot.Amount += amount;
        slot.Estimated += estimated;
        slot.Rejected += rejected;
        slot.Flags |= flags;
    }

    /// <summary>Shares a delta over [t0, t1) among the grid intervals by overlap.</summary>
    /// <param name="estimated">Whether the whole delta is an estimate even where no readings are missing.</param>
    public void Distribute(DateTimeOffset t0, DateTimeOffset t1, double delta, double rejected, IntervalFlags flags, bool estimated)
    {
        var length = rules.Grid.Length;
        var span = t1 - t0;
        var gap = span.Ticks > length.Ticks * 3 / 2;
        if (gap || estimated)
        {
            flags |= IntervalFlags.Estimated;
        }

        if (gap && span > rules.MaxGap)
        {
            Add(rules.Grid.FloorBefore(t1), delta, delta, rejected, flags | IntervalFlags.LongGap);
            return;
        }

        var first = rules.Grid.Floor(t0);
        if (!gap && first.Add(length) < t1)
        {
            flags |= IntervalFlags.Interpolated;
        }

        double placedAmount = 0, placedRejected = 0;
        for (var start = first; start < t1; start = start.Add(length))
        {
            var end = start.Add(length);
            var isLast = end >= t1;

            // The last share takes the remainder, so that the shares add up to the delta exactly.
            var share = isLast ? 1 : (end - (start > t0 ? start : t0)).Ticks / (double)span.Ticks;
            var amount = isLast ? delta - placedAmount : delta * share;
            var spike = isLast ? rejected - placedRejected : rejected * share;
            placedAmount += amount;
            placedRejected += spike;
            Add(start, Math.Max(0, amount), gap || estimated ? Math.Max(0, amount) : 0, Math.Max(0, spike), flags);
        }
    }

    public List<ConsumptionInterval> ToIntervals(MeterId meter, DateTimeOffset from)
    {
        var result = new List<ConsumptionInterval>(_slots.Count);
        foreach (var (start, slot) in _slots)
        {
            if (start < from)
            {
                continue;
            }

            // Every rule above yields non-negative amounts; a negative one here would be a bug that reached every
            // total above this meter, so it stops the pass instead.
            if (!(slot.Amount >= 0 && slot.Rejected >= 0 && slot.Estimated >= 0 && slot.Estimated <= slot.Amount + ConsumptionCalculator.Noise(slot.Amount)))
            {
                throw new InvalidOperationException($"meter {meter}: interval at {start:O} would be amount {slot.Amount}, estimated {slot.Estimated}, rejected {slot.Rejected}");
            }

            result.Add(new ConsumptionInterval(meter, start, slot.Amount, Math.Min(slot.Estimated, slot.Amount), slot.Rejected, slot.Flags));
        }

        return result;
    }

    private sealed class Slot
    {
        public double Amount;
        public double Estimated;
        public double Rejected;
        public IntervalFlags Flags;
    }
}
