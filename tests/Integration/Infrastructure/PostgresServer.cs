using Npgsql;

namespace EnergyMonitor.Integration.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL 15 (Debian's postgresql-15) in a temporary data directory on a free loopback port, trusting local
/// connections, stopped and deleted on dispose. Run as root (CI), the server runs as the postgres user, as initdb
/// requires. Each test asks for a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Binaries = "/usr/lib/postgresql/15/bin";

    private readonly string _dir = Directory.CreateTempSubdirectory("em-pg-").FullName;
    private ChildProcess? _process;

    public int Port { get; } = FreePort.Next();

    /// <summary>What the running server has logged, for a failing test's message.</summary>
    public string Output => _process?.Output ?? "(not running)";

    private string Data => Path.Combine(_dir, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The connection string of database <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=energymonitor;Database={database};Timeout=5;Command Timeout=60";

    public async ValueTask InitializeAsync()
    {
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _dir]);
        }

        await RunAsync(AsServerUser(Path.Combine(Binaries, "initdb")), [.. AsServerUserArgs(Path.Combine(Binaries, "initdb")),
            "-D", Data, "-U", "energymonitor", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        await StartAsync();
    }

    /// <summary>Starts the server (again) on the same port and data.</summary>
    public async Task StartAsync()
    {
        var postgres = Path.Combine(Binaries, "postgres");
        _process = ChildProcess.Start(AsServerUser(postgres), [.. AsServerUserArgs(postgres),
            "-D", Data, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", _dir,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200"]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException($"postgres did not start on port {Port}: {e.Message}\n{_process.Output}");
            }
        }
    }

    /// <summary>
    /// Stops the server as a crash would: SIGKILL to the postmaster and each of its children, found by the pid in
    /// postmaster.pid (run through runuser, the server is not the child process this fixture started). The data stays.
    /// </summary>
    public async Task KillAsync()
    {
        var pidFile = Path.Combine(Data, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllLinesAsync(pidFile))[0], out var postmaster))
        {
            var children = Directory.EnumerateDirectories("/proc")
                .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
                .Where(pid => pid > 0 && ParentOf(pid) == postmaster)
                .ToList();
            foreach (var pid in children.Prepend(postmaster))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone already.
                }
            }

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (children.Prepend(postmaster).Any(pid => Directory.Exists($"/proc/{pid}")) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>A new, empty database for one test; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "em_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await KillAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string AsServerUser(string program) => IsRoot ? "runuser" : program;

    private static string[] AsServerUserArgs(string program) => IsRoot ? ["-u", "postgres", "--", program] : [];

    private static async Task RunAsync(string program, string[] arguments)
    {
        await using var process = ChildProcess.Start(program, arguments);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {exit}:\n{process.Output}");
        }
    }
}
