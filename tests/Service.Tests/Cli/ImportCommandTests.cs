using System.IO.Compression;
using System.Text;
using EnergyMonitor.Site.Tests;

namespace EnergyMonitor.Service.Tests.Cli;

/// <summary>
/// The import command on the files that crashed it with a stack trace: each is exit 2, a short message naming the
/// file, and nothing stored. The good file is stored whole and its count said.
/// </summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("em-import-").FullName;

    public static TheoryData<string, byte[]> Refused() => new()
    {
        { "local-year-1.csv", Encoding.UTF8.GetBytes("meter,timestamp,value\ntotal,0001-01-01 00:00,1\n") },
        { "binary.csv", [.. Encoding.ASCII.GetBytes("meter,timestamp,value\n"), .. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 256))] },
        { "random.csv", [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 31) + 1))] },
        { "text.xlsx", Encoding.UTF8.GetBytes("meter,timestamp,value\n") },
        { "zeros.xlsx", Zeros() },
        { "empty.csv", [] },
        { "header.csv", Encoding.UTF8.GetBytes("meter,timestamp,value\n") },
        { "future.csv", Encoding.UTF8.GetBytes("meter,timestamp,value\ntotal,2999-01-01 00:00,1\n") },
        { "ancient.csv", Encoding.UTF8.GetBytes("meter,timestamp,value\ntotal,1899-12-30 00:00,1\n") },
        { "conflict.csv", Encoding.UTF8.GetBytes("meter,timestamp,value\ntotal,2025-01-01 00:00,1\ntotal,2025-01-01 00:00,2\n") },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_file_that_cannot_be_imported_is_exit_2_with_a_short_message_and_no_stack_trace(string name, byte[] content)
    {
        var settings = Setup();
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);

        var (exit, output, error) = CliRunner.Run("import", path, "--settings", settings);

        AssertRefused(path, exit, output, error);
    }

    public static TheoryData<string, byte[]> RefusedWeather() => new()
    {
        { "binary.csv", [.. Encoding.ASCII.GetBytes("station,date,mean_temp_c\n"), .. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 256))] },
        { "text.xlsx", Encoding.UTF8.GetBytes("station,date,mean_temp_c\n") },
        { "zeros.xlsx", Zeros() },
        { "header.csv", Encoding.UTF8.GetBytes("station,date,mean_temp_c\n") },
        { "year-1.csv", Encoding.UTF8.GetBytes("station,date,mean_temp_c\nnanjing,0001-01-01,3\n") },
        { "future.csv", Encoding.UTF8.GetBytes("station,date,mean_temp_c\nnanjing,2999-01-01,3\n") },
    };

    [Theory]
    [MemberData(nameof(RefusedWeather))]
    public void A_weather_file_that_cannot_be_imported_is_exit_2_with_a_short_message(string name, byte[] content)
    {
        var settings = Setup();
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);

        var (exit, output, error) = CliRunner.Run("weather", "import", path, "--settings", settings);

        AssertRefused(path, exit, output, error);
    }

    [Fact]
    public void A_good_file_is_stored_whole_and_its_count_said()
    {
        var settings = Setup();
        var path = Path.Combine(_dir, "good.csv");
        File.WriteAllText(path, "meter,timestamp,value\ntotal,2025-01-01 00:00,1\ntotal,2025-01-01 00:15,2\ntotal,2025-01-01 00:15,2\n");

        var (exit, output, error) = CliRunner.Run("import", path, "--settings", settings);

        Assert.True(exit == 0, output + error);
        Assert.Contains($"imported 2 readings from {path}", output);
    }

    /// <summary>Exit 2, the file named, at most three lines and no stack trace, and the store never opened.</summary>
    private void AssertRefused(string path, int exit, string output, string error)
    {
        Assert.True(exit == 2, output + error);
        Assert.Contains(path, error);
        Assert.Contains("nothing imported", error);
        Assert.DoesNotContain("   at ", error);
        Assert.True(error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 3, error);
        Assert.False(File.Exists(Path.Combine(_dir, "em.db")), "the store is not even opened for a refused file");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Setup()
    {
        File.WriteAllText(Path.Combine(_dir, "site.yaml"), SiteYaml.Valid);
        CliRunner.CopyTemplates(_dir);
        var settings = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(settings, """{ "EnergyMonitor": { "SiteFile": "site.yaml", "Storage": { "Sqlite": { "Path": "em.db" } } } }""");
        return settings;
    }

    private static byte[] Zeros()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("zeros.bin").Open();
            entry.Write(new byte[100_000]);
        }

        return memory.ToArray();
    }
}
