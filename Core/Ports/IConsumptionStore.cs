using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Core.Ports;

/// <summary>A meter whose readings changed from <see cref="From"/> on since consumption was last computed.</summary>
/// <param name="Version">Moves on with every change, so that clearing a mark never loses a change made meanwhile.</param>
public readonly record struct ReadingChange(MeterId Meter, DateTimeOffset From, long Version);

/// <summary>
/// Consumption intervals, rollups and the watermarks that keep them incremental. The reading store records a
/// change mark for every write; consumption is recomputed from the marks and the marks cleared.
/// </summary>
public interface IConsumptionStore
{
    /// <summary>The meters with readings written since their consumption was last computed.</summary>
    Task<IReadOnlyList<ReadingChange>> ChangesAsync(CancellationToken cancellationToken);

    /// <summary>Clears the marks that are still exactly as read; a mark moved on since stays for the next pass.</summary>
    Task ClearChangesAsync(IReadOnlyCollection<ReadingChange> changes, CancellationToken cancellationToken);

    /// <summary>
    /// The latest of the meter's checkpoints whose horizon lies before <paramref name="changedFrom"/>: the point a
    /// recomputation after that change resumes from. Null when there is none.
    /// </summary>
    Task<ConsumptionCheckpoint?> CheckpointBeforeAsync(MeterId meter, DateTimeOffset changedFrom, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the meter's intervals and checkpoints from <paramref name="from"/> on (up to <paramref name="to"/>, or all
    /// when null) with <paramref name="intervals"/> and <paramref name="checkpoints"/>, in one transaction.
    /// </summary>
    Task ReplaceIntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset? to, IReadOnlyList<ConsumptionInterval> intervals, IReadOnlyList<ConsumptionCheckpoint> checkpoints, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConsumptionInterval>> IntervalsAsync(MeterId meter, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Replaces the series' rows of one period in <c>[from, to)</c> with <paramref name="rows"/>.</summary>
    Task ReplaceRollupsAsync(string series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<RollupRow> rows, CancellationToken cancellationToken);

    /// <summary>Replaces the group's rows of one period in <c>[from, to)</c> with the sums of its members' rows there.</summary>
    Task SumRollupsAsync(string group, IReadOnlyCollection<string> members, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Rows of the given series and period in <c>[from, to)</c>, by series then start.</summary>
    Task<IReadOnlyList<RollupRow>> RollupsAsync(IReadOnlyCollection<string> series, RollupPeriod period, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
