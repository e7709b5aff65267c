using EnergyMonitor.Site;
using MiniExcelLibs;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>
/// The rows of an imported CSV or workbook, for a judge that turns each into a value or an error: the file checked
/// first (<see cref="ImportFileCheck"/>), at most <see cref="ImportLimits.MaxRows"/> rows and
/// <see cref="ImportLimits.MaxErrors"/> errors, and whatever the parser throws made an error at its row.
/// </summary>
internal static class ImportTable
{
    /// <param name="judge">Takes the row number (the header is row 1) and its cells; false stops the reading (a wrong header).</param>
    /// <param name="accepted">How many rows the judge has accepted: none, with no error, is "no readings".</param>
    public static void Read(string path, ImportLimits limits, List<ConfigError> errors, Func<int, IDictionary<string, object?>, bool> judge, Func<int> accepted, CancellationToken cancellationToken)
    {
        if (ImportFileCheck.Check(path, limits) is { } refused)
        {
            errors.Add(refused);
            return;
        }

        var row = 1;
        try
        {
            foreach (IDictionary<string, object?> record in MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>())
            {
                row++;
                if ((row & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (row - 1 > limits.MaxRows)
                {
                    errors.Add(new ConfigError(path, row, 0, "(file)", $"more than {limits.MaxRows:N0} rows", $"at most {limits.MaxRows:N0} rows; split the file into several"));
                    return;
                }

                if (!judge(row, record) || errors.Count >= limits.MaxErrors)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // MiniExcel's readers throw what they meet (a malformed typed cell was a NullReferenceException): that is
            // a file we cannot read, said with the row it stopped at, never a stack trace.
            errors.Add(new ConfigError(path, row + 1, 0, "(file)", $"a row that cannot be read ({e.GetType().Name}: {e.Message})", "a well-formed CSV or Excel row"));
        }

        if (errors.Count >= limits.MaxErrors)
        {
            errors.Add(new ConfigError(path, row, 0, "(file)", $"{limits.MaxErrors} errors", "a file with fewer; reading stopped here, fix these first"));
        }
        else if (errors.Count == 0 && accepted() == 0)
        {
            errors.Add(new ConfigError(path, 1, 0, "(file)", "a header and no rows", "at least one row under the header"));
        }
    }
}
