
namespace EnergyMonitor.Core.Domain;

/// <summary>
/// Consumption of one meter over one grid interval <c>[Start, Start + length)</c>, in the canonical unit of its
/// kind. <see cref="Estimated"/> is the part of <see cref="Amount"/> that was spread across missing readings;
/// <see cref="Rejected"/> is what a rejected spike would have added, kept aside and not in <see cref="Amount"/>.
/// </summary>
public readonly record struct ConsumptionInterval(MeterId Meter, DateTimeOffset Start, double Amount, double Estimated, double Rejected, IntervalFlags Flags);
