using System.CommandLine;
using EnergyMonitor.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

/// <summary><c>backup --to FILE</c>: a consistent copy of the embedded database, taken while the service runs.</summary>
internal static class BackupCommand
{
    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var to = new Option<FileInfo>("--to") { Description = "The backup file to write (replaced if it exists).", Required = true };
        var command = new Command("backup",
            "Copy the embedded database (readings, consumption, rollups, alerts, the outbox, the report index and the schedule) into one file, " +
            "consistent as of one moment, while the service keeps running: SQLite's online backup. Restore by stopping the service and putting " +
            "the file in the database's place (docs/OPERATIONS.md).")
        {
            settings, site, to,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var destination = parse.GetRequiredValue(to).FullName;
            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var database = store.Services.GetRequiredService<SqliteDatabase>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await database.BackupAsync(destination, ct).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--to: {e.Message}").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"backed up {database.FilePath} to {destination} ({new FileInfo(destination).Length:N0} bytes, schema {database.SchemaVersion}) in {clock.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
