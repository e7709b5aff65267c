namespace EnergyMonitor.Core.Ports;

/// <summary>
/// An officer's reason for a submission review finding (公共机构能源资源消费统计 审核): the year, the institution, the
/// finding's field (e.g. 指标.人均综合能耗), and who gave it when. The review reads these as it reads the file of
/// <c>submit --explanations</c>.
/// </summary>
public sealed record SubmissionExplanation(int Year, string Institution, string Field, string Reason, string By, DateTimeOffset At);

/// <summary>The explanations entered in the console, one per year, institution and field.</summary>
public interface IExplanationStore
{
    Task<IReadOnlyList<SubmissionExplanation>> ListAsync(int year, CancellationToken cancellationToken);

    /// <summary>Saves an explanation, replacing the field's earlier one.</summary>
    Task SaveAsync(SubmissionExplanation explanation, CancellationToken cancellationToken);

    /// <summary>Removes a field's explanation; false when there was none.</summary>
    Task<bool> RemoveAsync(int year, string institution, string field, CancellationToken cancellationToken);
}
