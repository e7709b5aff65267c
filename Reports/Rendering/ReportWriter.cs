using System.Security.Cryptography;
using EnergyMonitor.Core.Ports;
using EnergyMonitor.Reports.Charts;
using EnergyMonitor.Reports.Model;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// Writes a report in the formats asked for, and its charts, into a folder, and records each file with its SHA-256
/// in the archive index. The same code serves the CLI and the scheduled job.
/// </summary>
public sealed class ReportWriter(IReportArchive archive, TimeProvider time)
{
    public static IReadOnlyList<string> Formats { get; } = ["html", "pdf", "xlsx", "csv"];

    public async Task<IReadOnlyList<ArchivedReport>> WriteAsync(ConsumptionReport report, IReadOnlyList<ChartImage> charts, CjkFont font, IReadOnlyList<string> formats, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var view = new ReportView(report);
        var name = FileName(report);
        var written = new List<ArchivedReport>();
        foreach (var format in formats)
        {
            var bytes = format switch
            {
                "html" => System.Text.Encoding.UTF8.GetBytes(await HtmlReport.RenderAsync(view, charts, font).ConfigureAwait(false)),
                "pdf" => PdfReport.Render(view, charts, font),
                "xlsx" => TableExports.Xlsx(view, charts),
                "csv" => TableExports.Csv(view),
                _ => throw new ArgumentException($"unknown report format \"{format}\"", nameof(formats)),
            };
            var path = Path.Combine(directory, $"{name}.{format}");

            // Written aside and moved into place, so the archive never shows half a file.
            await File.WriteAllBytesAsync(path + ".tmp", bytes, cancellationToken).ConfigureAwait(false);
            File.Move(path + ".tmp", path, overwrite: true);
            var entry = new ArchivedReport(0, report.Period.ToString(), report.Scope.ToString(), format, path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength, time.GetUtcNow());
            await archive.AddAsync(entry, cancellationToken).ConfigureAwait(false);
            written.Add(entry);
        }

        var chartDirectory = Path.Combine(directory, name + "-charts");
        Directory.CreateDirectory(chartDirectory);
        foreach (var chart in charts)
        {
            await File.WriteAllBytesAsync(Path.Combine(chartDirectory, chart.Name), chart.Png, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    public static string FileName(ConsumptionReport report) =>
        $"report-{report.Scope.FileName}-{report.Period}{(report.Language.IsEnglish ? "-en" : "")}";
}
