namespace EnergyMonitor.Web.Tests;

/// <summary>Only files under the report folders are served, whatever the archive index says.</summary>
public sealed class ReportFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("em-files-").FullName;

    [Fact]
    public void A_file_under_a_root_is_served_and_traversal_links_and_other_paths_are_not()
    {
        var reports = Directory.CreateDirectory(Path.Combine(_root, "reports")).FullName;
        var inside = Path.Combine(reports, "r.pdf");
        File.WriteAllText(inside, "pdf");
        var secret = Path.Combine(_root, "secret.txt");
        File.WriteAllText(secret, "secret");
        File.CreateSymbolicLink(Path.Combine(reports, "link.pdf"), secret);
        var files = new ReportFiles([reports]);

        Assert.Equal(inside, files.Resolve(inside));
        Assert.Null(files.Resolve(Path.Combine(reports, "..", "secret.txt")));
        Assert.Null(files.Resolve(secret));
        Assert.Null(files.Resolve("/etc/passwd"));
        Assert.Null(files.Resolve(Path.Combine(reports, "link.pdf")));
        Assert.Null(files.Resolve(Path.Combine(reports, "missing.pdf")));
        Assert.Null(new ReportFiles([reports + "x"]).Resolve(inside)); // a sibling whose name starts the same is no root
    }

    [Fact]
    public void A_symlinked_folder_is_followed_and_the_database_is_never_served()
    {
        var reports = Directory.CreateDirectory(Path.Combine(_root, "reports")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(outside, "keys.xml"), "the cookie key ring");
        Directory.CreateSymbolicLink(Path.Combine(reports, "2026-11"), outside);
        var database = Path.Combine(reports, "energymonitor.db");
        File.WriteAllText(database, "SQLite format 3");
        File.WriteAllText(database + "-wal", "wal");
        File.WriteAllText(Path.Combine(reports, "report.pdf"), "pdf");
        var files = new ReportFiles([reports], database);

        Assert.Null(files.Resolve(Path.Combine(reports, "2026-11", "keys.xml"))); // the folder is a link out of the archive
        Assert.Null(files.Resolve(database));
        Assert.Null(files.Resolve(database + "-wal"));
        Assert.Null(files.Resolve(reports)); // a folder is not a file
        Assert.Equal(Path.Combine(reports, "report.pdf"), files.Resolve(Path.Combine(reports, "report.pdf")));
    }

    [Fact]
    public void A_loop_of_links_resolves_to_nothing_and_does_not_hang()
    {
        var reports = Directory.CreateDirectory(Path.Combine(_root, "reports")).FullName;
        File.CreateSymbolicLink(Path.Combine(reports, "a"), Path.Combine(reports, "b"));
        File.CreateSymbolicLink(Path.Combine(reports, "b"), Path.Combine(reports, "a"));

        Assert.Null(new ReportFiles([reports]).Resolve(Path.Combine(reports, "a")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
