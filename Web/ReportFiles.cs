namespace EnergyMonitor.Web;

/// <summary>
/// Where archived report files may be served from: regular files inside the archive folder, with every component
/// of the path resolved (a symlinked folder, like a symlinked file, is followed to where it really points), and
/// never the database or its journal, wherever they are. An index entry pointing elsewhere (a report written with
/// --out to a home directory, or a tampered row) is not served.
/// </summary>
/// <param name="roots">The archive folder (Reports:ArchiveDirectory).</param>
/// <param name="database">The embedded database's file: opening it for a download would release SQLite's locks.</param>
public sealed class ReportFiles(IReadOnlyList<string> roots, string? database = null)
{
    private readonly IReadOnlyList<string> _roots = [.. roots.Select(r => RealPath(r).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar)];
    private readonly string? _database = database is null ? null : RealPath(database);

    public string? Resolve(string path)
    {
        var real = RealPath(path);
        if (!_roots.Any(r => real.StartsWith(r, StringComparison.Ordinal)) || !File.Exists(real))
        {
            return null;
        }

        if (_database is { } db && (real == db || real.StartsWith(db + "-", StringComparison.Ordinal)))
        {
            return null;
        }

        var attributes = File.GetAttributes(real);
        return (attributes & (FileAttributes.Directory | FileAttributes.ReparsePoint | FileAttributes.Device)) == 0 ? real : null;
    }

    /// <summary>The path with every symbolic link along it followed, component by component, to an absolute path without links.</summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int links)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            // A loop of links (a → b → a) resolves to nothing real: past 40 links, as Linux gives up (ELOOP), the
            // path is left where it is and matches no root.
            if (++links > 40)
            {
                return next;
            }

            current = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), links);
        }

        return current;
    }
}
