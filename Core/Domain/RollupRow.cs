namespace EnergyMonitor.Core.Domain;

/// <summary>The calendar periods consumption is rolled up into, cut in the site's zone.</summary>
public enum RollupPeriod
{
    Hour,
    Day,
    Month,
}

/// <summary>
/// Consumption of one series (a meter, or a building's electricity, an institution's 01A00 …) over one period.
/// <see cref="Estimated"/> is the part of <see cref="Amount"/> spread across missing readings, so a report can
/// say how much of a total was estimated; <see cref="Intervals"/> counts the grid intervals behind it.
/// </summary>
public readonly record struct RollupRow(string Series, RollupPeriod Period, DateTimeOffset Start, double Amount, double Estimated, double Rejected, IntervalFlags Flags, int Intervals)
{
    /// <summary>The estimated share of the amount, 0 to 1.</summary>
    public double EstimatedShare => Amount > 0 ? Estimated / Amount : 0;
}
