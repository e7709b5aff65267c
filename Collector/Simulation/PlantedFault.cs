using EnergyMonitor.Core.Site;

namespace EnergyMonitor.Collector.Simulation;

/// <summary>A fault the demo plants in its simulated history, which the system must then catch.</summary>
public abstract record PlantedFault(string Meter, string Description)
{
    /// <summary>Use the fault adds to the meter in the interval ending at <paramref name="local"/>, in its canonical unit.</summary>
    public abstract double ExtraUse(Meter meter, DateTime local);
}

/// <summary>A leak: water running at a steady flow, day and night, from a local day for some days, then mended.</summary>
public sealed record PlantedLeak(string Meter, DateOnly From, int Days, double CubicMetresPerHour)
    : PlantedFault(Meter, $"night water leak on {Meter}, {CubicMetresPerHour} m³/h from {From:yyyy-MM-dd} for {Days} days")
{
    public override double ExtraUse(Meter meter, DateTime local)
    {
        var day = DateOnly.FromDateTime(local);
        return meter.Id.Value == Meter && day >= From && day < From.AddDays(Days) ? CubicMetresPerHour * meter.Interval.TotalHours : 0;
    }
}
