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

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
