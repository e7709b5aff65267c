namespace EnergyMonitor.Core.Ports;

/// <summary>A report file in the archive: what it covers, where it is, and its SHA-256 so a copy can be checked.</summary>
public sealed record ArchivedReport(long Id, string Period, string Scope, string Format, string Path, string Sha256, long Bytes, DateTimeOffset GeneratedAt);

/// <summary>The index of generated reports (the files themselves live in the archive folder).</summary>
public interface IReportArchive
{
    /// <summary>Records a file; a second file for the same period, scope and format replaces the first in the index.</summary>
    Task AddAsync(ArchivedReport report, CancellationToken cancellationToken);

    /// <summary>The archive, newest first.</summary>
    Task<IReadOnlyList<ArchivedReport>> ListAsync(CancellationToken cancellationToken);
}
