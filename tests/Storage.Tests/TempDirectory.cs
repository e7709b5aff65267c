using Microsoft.Data.Sqlite;

namespace EnergyMonitor.Storage.Tests;

/// <summary>A scratch folder removed after the test; SQLite's pooled handles are released first.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "em-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the OS temp cleaner takes the rest.
        }
    }
}
