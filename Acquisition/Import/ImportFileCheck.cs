using System.IO.Compression;
using System.Text;
using EnergyMonitor.Site;

namespace EnergyMonitor.Acquisition.Import;

/// <summary>
/// What a file is before a parser sees it: a CSV must be UTF-8 text, an XLSX a zip whose parts unzip within the
/// bound. The parsers threw on the rest (a binary file named .csv: KeyNotFoundException; text named .xlsx:
/// InvalidDataException; a zip of zeros: InvalidOperationException), or printed the binary back row by row.
/// </summary>
public static class ImportFileCheck
{
    private const int SniffBytes = 64 * 1024;

    /// <summary>The one error that says why the file cannot be read as what its name says, or null.</summary>
    public static ConfigError? Check(string path, ImportLimits limits)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".xlsx"))
        {
            return Refuse(path, $"a file named {Path.GetFileName(path)}", "a .csv or .xlsx file");
        }

        if (new FileInfo(path).Length == 0)
        {
            return Refuse(path, "an empty file", "a header row and at least one row under it");
        }

        return extension == ".csv" ? CheckText(path) : CheckWorkbook(path, limits);
    }

    private static ConfigError? CheckText(string path)
    {
        var buffer = new byte[SniffBytes];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        var nul = Array.IndexOf(buffer, (byte)0, 0, read);
        if (nul >= 0)
        {
            return Refuse(path, $"binary content (a NUL byte at byte {nul:N0})", "a UTF-8 text file with comma-separated columns");
        }

        // A multi-byte character cut by the end of the sample is not an error: the decoder keeps it for a flush that never comes.
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            decoder.GetCharCount(buffer, 0, read, flush: read < SniffBytes);
        }
        catch (DecoderFallbackException e)
        {
            return Refuse(path, $"bytes that are not UTF-8 (at byte {e.Index:N0})", "a UTF-8 text file (save the sheet as \"CSV UTF-8\")");
        }

        return null;
    }

    private static ConfigError? CheckWorkbook(string path, ImportLimits limits)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.GetEntry("xl/workbook.xml") is null)
            {
                return Refuse(path, "a zip without xl/workbook.xml", "an Excel workbook (.xlsx)");
            }

            var expanded = zip.Entries.Sum(e => e.Length);
            if (expanded > limits.MaxExpandedBytes)
            {
                return Refuse(path, $"a workbook that unzips to {expanded / (1024 * 1024):N0} MB", $"at most {limits.MaxExpandedBytes / (1024 * 1024):N0} MB unzipped; split it into several files");
            }

            return null;
        }
        catch (InvalidDataException e)
        {
            return Refuse(path, $"not a zip archive ({e.Message})", "an Excel workbook (.xlsx)");
        }
    }

    private static ConfigError Refuse(string path, string found, string expected) => new(path, 0, 0, "(file)", found, expected);
}
