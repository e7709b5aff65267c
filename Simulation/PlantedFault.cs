using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Simulation;

/// <summary>
/// A fault the demo plants in its simulated history, which the system must then catch: either extra use (a leak,
/// air-conditioning left on) or a reading the meter or gateway got wrong (stuck, missing, garbage).
/// </summary>
public abstract record PlantedFault(string Meter, string Description)
{
    /// <summary>Use the fault adds to the meter in the interval ending at <paramref name="local"/>, in its canonical unit.</summary>
    public virtual double ExtraUse(Meter meter, DateTime local) => 0;

    /// <summary>The reading as the fault makes the device report it; null when no reading arrives at all.</summary>
    public virtual Reading? Alter(Meter meter, Reading reading, DateTime local) => reading;

    /// <summary>The local time span the fault covers, to find what caught it.</summary>
    public abstract (DateTime From, DateTime To) Window { get; }
}

/// <summary>A leak: water running at a steady flow, day and night, from a local day for some days, then mended.</summary>
public sealed record PlantedLeak(string Meter, DateOnly From, int Days, double CubicMetresPerHour)
    : PlantedFault(Meter, $"night water leak on {Meter}, {CubicMetresPerHour} m³/h from {From:yyyy-MM-dd} for {Days} days")
{
    public override (DateTime From, DateTime To) Window => (From.ToDateTime(TimeOnly.MinValue), From.AddDays(Days).ToDateTime(TimeOnly.MinValue));

    public override double ExtraUse(Meter meter, DateTime local)
    {
        var day = DateOnly.FromDateTime(local);
        return meter.Id.Value == Meter && day >= From && day < From.AddDays(Days) ? CubicMetresPerHour * meter.Interval.TotalHours : 0;
    }
}

/// <summary>Air-conditioning left running over a weekend: a steady load from Friday evening to Monday morning.</summary>
public sealed record PlantedWeekendLoad(string Meter, DateOnly Saturday, double KilowattsExtra)
    : PlantedFault(Meter, $"air-conditioning left on over the weekend of {Saturday:yyyy-MM-dd} on {Meter}, {KilowattsExtra} kW")
{
    public override (DateTime From, DateTime To) Window => (Saturday.ToDateTime(TimeOnly.MinValue), Saturday.AddDays(2).ToDateTime(TimeOnly.MinValue));

    public override double ExtraUse(Meter meter, DateTime local) =>
        meter.Id.Value == Meter && local >= Window.From && local < Window.To ? KilowattsExtra * meter.Interval.TotalHours : 0;
}

/// <summary>
/// A meter whose register froze for two days while use went on, then jumped to where it should be: the counter
/// the device shows repeats its last value, and the first reading after the window carries the whole catch-up.
/// </summary>
public sealed record PlantedStuck(string Meter, DateTime From, TimeSpan Length)
    : PlantedFault(Meter, $"{Meter} stuck for {Length.TotalHours:0} hours from {From:yyyy-MM-dd HH:mm}")
{
    private double? _frozen;

    public override (DateTime From, DateTime To) Window => (From, From + Length);

    public override Reading? Alter(Meter meter, Reading reading, DateTime local)
    {
        if (meter.Id.Value != Meter || local < From || local >= From + Length)
        {
            return reading;
        }

        _frozen ??= reading.Value;
        return reading with { Value = _frozen.Value };
    }
}

/// <summary>A gateway that went dark: none of its meters' readings arrive for the window.</summary>
public sealed record PlantedGatewayOutage(string Gateway, IReadOnlySet<string> Meters, DateTime From, TimeSpan Length)
    : PlantedFault(Gateway, $"gateway {Gateway} offline for {Length.TotalHours:0} hours from {From:yyyy-MM-dd HH:mm} ({Meters.Count} meters)")
{
    public override (DateTime From, DateTime To) Window => (From, From + Length);

    public override Reading? Alter(Meter meter, Reading reading, DateTime local) =>
        Meters.Contains(meter.Id.Value) && local >= From && local < From + Length ? null : reading;
}

/// <summary>One garbage value from a gateway (a register read mid-update): a counter thousands of times too high, once.</summary>
public sealed record PlantedSpike(string Meter, DateTime At)
    : PlantedFault(Meter, $"garbage reading on {Meter} at {At:yyyy-MM-dd HH:mm}")
{
    public override (DateTime From, DateTime To) Window => (At, At.AddMinutes(15));

    public override Reading? Alter(Meter meter, Reading reading, DateTime local) =>
        meter.Id.Value == Meter && local == At ? reading with { Value = (reading.Value * 1000) + 9_999_999 } : reading;
}

/// <summary>A meter exchanged mid-year, recorded in the site file: the new register starts from its initial reading.</summary>
public sealed record PlantedReplacement(string Meter, DateTime At)
    : PlantedFault(Meter, $"{Meter} replaced on {At:yyyy-MM-dd HH:mm}, recorded in site.yaml")
{
    public override (DateTime From, DateTime To) Window => (At.AddMinutes(-15), At.AddMinutes(30));
}

/// <summary>A small register that wraps in the period (configured with rolloverAt in the site file).</summary>
public sealed record PlantedRollover(string Meter, DateTime From, DateTime To)
    : PlantedFault(Meter, $"{Meter} register wraps (rolloverAt in site.yaml)")
{
    public override (DateTime From, DateTime To) Window => (From, To);
}
