using EnergyMonitor.Analytics.Anomalies;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Simulation;

/// <summary>
/// Generates the counter readings a site's meters would have produced over a period, honouring each meter's
/// unit, multiplier, rollover and replacement history, so that downstream code meets the cases real meters show.
/// </summary>
public sealed class SimulatedSite
{
    private readonly SiteModel _site;
    private readonly int _seed;
    private readonly Dictionary<MeterId, MeterPlan> _plans;
    private readonly HolidayCalendar _calendar;

    /// <param name="calendar">Which days are worked, so that offices rest on holidays and work on 调休 Saturdays; default weekends only.</param>
    /// <param name="faults">Faults planted in the history (a leak …), which the system must catch.</param>
    public SimulatedSite(SiteModel site, int seed, HolidayCalendar? calendar = null, IReadOnlyList<PlantedFault>? faults = null)
    {
        _site = site;
        _seed = seed;
        _plans = Plan(site);
        _calendar = calendar ?? HolidayCalendar.WeekendsOnly;
        _faults = faults ?? [];
    }

    private readonly IReadOnlyList<PlantedFault> _faults;

    private readonly Dictionary<MeterId, double> _used = [];

    /// <summary>What each meter has used so far in the readings enumerated, in its canonical unit.</summary>
    public IReadOnlyDictionary<MeterId, double> Used => _used;

    /// <summary>
    /// Readings on each meter's grid from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive),
    /// yielded time slice by time slice so that callers can batch them. Parents are the sum of their children
    /// plus their own unmetered share, as real sub-metering is.
    /// </summary>
    public IEnumerable<Reading> Readings(DateTimeOffset from, DateTimeOffset to)
    {
        var meters = TopologicalChildrenFirst(_site.Meters.ToList());
        var states = meters.ToDictionary(m => m.Id, m => new CounterState(m, from, new Random(StableSeed(_seed, m.Id.Value))));
        var step = meters.Min(m => m.Interval);
        for (var t = from; t < to; t += step)
        {
            var local = TimeZoneInfo.ConvertTime(t, _site.TimeZone).DateTime;
            var used = new Dictionary<MeterId, double>();
            foreach (var meter in meters)
            {
                // Grids are aligned in local time: a daily meter reads at local midnight.
                if (local.TimeOfDay.TotalMinutes % meter.Interval.TotalMinutes != 0)
                {
                    continue;
                }

                if (meter.IsGauge)
                {
                    yield return new Reading(meter.Id, t, Math.Round(LoadProfile.Temperature(local), 1), ReadingQuality.Simulated);
                    continue;
                }

                var plan = _plans[meter.Id];
                var state = states[meter.Id];
                var own = LoadProfile.IntervalUse(meter, plan.Occupancy, local, plan.Annual * plan.OwnShare, _calendar.IsWorkingDay(DateOnly.FromDateTime(local))) * (0.9 + (0.2 * state.Random.NextDouble()));
                foreach (var fault in _faults)
                {
                    own += fault.ExtraUse(meter, local);
                }

                var children = plan.Children.Sum(c => used.GetValueOrDefault(c));
                var total = own + children;
                used[meter.Id] = total;
                _used[meter.Id] = _used.GetValueOrDefault(meter.Id) + total;
                Reading? reading = state.Advance(t, total);
                foreach (var fault in _faults)
                {
                    reading = reading is { } r ? fault.Alter(meter, r, local) : null;
                }

                if (reading is { } delivered)
                {
                    yield return delivered;
                }
            }
        }
    }

    /// <summary>
    /// The smooth (noise-free) rate of use at <paramref name="t"/>, in the meter's canonical unit per hour,
    /// parents including their children: what a live simulated device's counter advances by.
    /// </summary>
    public double RatePerHour(MeterId meter, DateTimeOffset t)
    {
        var local = TimeZoneInfo.ConvertTime(t, _site.TimeZone).DateTime;
        return Rate(meter, local);
    }

    private double Rate(MeterId id, DateTime local)
    {
        var plan = _plans[id];
        var meter = _site.Meters.First(m => m.Id == id);
        if (meter.IsGauge)
        {
            return LoadProfile.Temperature(local);
        }

        var own = LoadProfile.IntervalUse(meter, plan.Occupancy, local, plan.Annual * plan.OwnShare, _calendar.IsWorkingDay(DateOnly.FromDateTime(local))) / meter.Interval.TotalHours;
        return own + plan.Children.Sum(c => Rate(c, local));
    }

    private static List<Meter> TopologicalChildrenFirst(List<Meter> meters)
    {
        var depth = meters.ToDictionary(m => m.Id, m => 0);
        var byId = meters.ToDictionary(m => m.Id);
        foreach (var meter in meters)
        {
            var d = 0;
            for (var p = meter.Parent; p is { } id && byId.TryGetValue(id, out var parent); p = parent.Parent)
            {
                d++;
            }

            depth[meter.Id] = d;
        }

        return meters.OrderByDescending(m => depth[m.Id]).ThenBy(m => m.Id.Value, StringComparer.Ordinal).ToList();
    }

    private static Dictionary<MeterId, MeterPlan> Plan(SiteModel site)
    {
        var plans = new Dictionary<MeterId, MeterPlan>();
        foreach (var institution in site.Institutions)
        {
            var occupancy = LoadProfile.OccupancyOf(institution.NatureCode);
            foreach (var building in institution.Buildings)
            {
                foreach (var meter in building.Meters)
                {
                    var children = building.Meters.Where(c => c.Parent == meter.Id).Select(c => c.Id).ToList();
                    var annual = AnnualIntensity(meter, occupancy) * building.FloorArea.Value;

                    // A parent measures its children plus losses and loads nobody sub-metered.
                    var ownShare = children.Count == 0 ? 1.0 : 0.04;
                    plans[meter.Id] = new MeterPlan(occupancy, annual, ownShare, children);
                }
            }
        }

        return plans;
    }

    /// <summary>Annual use per m² of floor area, by kind and sub-item, typical of public buildings in the region.</summary>
    private static double AnnualIntensity(Meter meter, Occupancy occupancy)
    {
        var scale = occupancy switch { Occupancy.Hospital => 2.2, Occupancy.School => 0.6, _ => 1.0 };
        var code = meter.Item?.Code ?? "";
        var perM2 = meter.Kind switch
        {
            EnergyKind.Electricity when code.StartsWith("01A", StringComparison.Ordinal) => 22.0,
            EnergyKind.Electricity when code.StartsWith("01B", StringComparison.Ordinal) => 30.0,
            EnergyKind.Electricity when code.StartsWith("01C", StringComparison.Ordinal) => 9.0,
            EnergyKind.Electricity when code.StartsWith("01D", StringComparison.Ordinal) => 12.0,
            EnergyKind.Electricity => 75.0,
            EnergyKind.Water => 0.9,
            EnergyKind.NaturalGas => 1.6,
            EnergyKind.Heat => 0.12,
            EnergyKind.Cooling => 0.1,
            _ => 0.5,
        };
        return perM2 * scale;
    }

    private sealed record MeterPlan(Occupancy Occupancy, double Annual, double OwnShare, IReadOnlyList<MeterId> Children);

    /// <summary>The raw counter of one meter as its device would show it.</summary>
    private sealed class CounterState(Meter meter, DateTimeOffset start, Random random)
    {
        private int _nextReplacement = meter.Replacements.Count(r => r.At <= start);
        private double _raw = InitialCounter(meter, start, random);

        public Random Random { get; } = random;

        public Reading Advance(DateTimeOffset t, double canonicalUse)
        {
            var rawUse = canonicalUse / meter.ToCanonical(1);
            if (meter.Mode == ReadingMode.Interval)
            {
                return new Reading(meter.Id, t, meter.ToCanonical(rawUse), ReadingQuality.Simulated);
            }

            while (_nextReplacement < meter.Replacements.Count && meter.Replacements[_nextReplacement].At <= t)
            {
                _raw = meter.Replacements[_nextReplacement].NewInitialReading;
                _nextReplacement++;
            }

            _raw += rawUse;
            if (meter.RolloverAt is { } max && _raw >= max)
            {
                _raw -= max;
            }

            return new Reading(meter.Id, t, meter.ToCanonical(_raw), ReadingQuality.Simulated);
        }

        private static double InitialCounter(Meter meter, DateTimeOffset start, Random random)
        {
            if (meter.Mode == ReadingMode.Interval)
            {
                return 0;
            }

            // A meter with a small register is started near its end, so that the period shows a wrap.
            if (meter.RolloverAt is { } max)
            {
                return Math.Round(max * (0.75 + (0.1 * random.NextDouble())), 1);
            }

            var installed = meter.Replacements.LastOrDefault(r => r.At <= start);
            return Math.Round((installed?.NewInitialReading ?? 0) + (random.NextDouble() * 20_000), 1);
        }
    }

    // string.GetHashCode is randomised per process; the demo must produce the same data on every run.
    private static int StableSeed(int seed, string id)
    {
        var hash = (uint)seed ^ 2166136261;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
