using System.CommandLine;
using System.Globalization;
using EnergyMonitor.Storage.Embedded;
using EnergyMonitor.Storage.Postgres;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

/// <summary>
/// <c>migrate --to postgres</c>: copies the embedded database named in the settings into the PostgreSQL database they
/// also name, every table but the outbox, then verifies by counts and sums per series. Resumable; a rerun changes nothing.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var to = new Option<string>("--to") { Description = "Where to: postgres (the database of EnergyMonitor:Storage:Postgres).", Required = true };
        var command = new Command("migrate",
            "Copy the embedded database (EnergyMonitor:Storage:Sqlite:Path) into PostgreSQL (EnergyMonitor:Storage:Postgres): readings, consumption, rollups, " +
            "indicators, alerts and their notifications, the quarantine and the report index. Stop the service first; the copy can be stopped and run again, and a " +
            "second run changes nothing. It ends by comparing counts and sums per meter and per rollup series, and exits 1 if anything differs. Then set " +
            "EnergyMonitor:Storage:Kind to Postgres (docs/OPERATIONS.md).")
        {
            settings, site, to,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!string.Equals(parse.GetRequiredValue(to), "postgres", StringComparison.OrdinalIgnoreCase))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--to: found \"{parse.GetValue(to)}\"; expected postgres").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var target = config.Settings.Storage.Postgres.Resolve(config.SettingsFile);
            var sourcePath = config.Settings.Storage.Sqlite.Path;
            if (!File.Exists(sourcePath))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"EnergyMonitor:Storage:Sqlite:Path: {sourcePath} does not exist; nothing to copy").ConfigureAwait(false);
                return ExitCodes.ConfigInvalid;
            }

            var source = await SqliteDatabase.OpenAsync(config.Settings.Storage.Sqlite, ct).ConfigureAwait(false);
            await using var postgres = await PostgresDatabase.OpenAsync(target, ct).ConfigureAwait(false);
            var migration = new EmbeddedMigration(source, postgres);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                    await migration.CopyAsync(new Progress<MigrationProgress>(p =>
                    {
                        if (!bars.TryGetValue(p.Table, out var bar))
                        {
                            bars[p.Table] = bar = progress.AddTask(p.Table, maxValue: Math.Max(1, p.Total));
                        }

                        bar.Value = p.Done;
                    }), ct).ConfigureAwait(false);
                }).ConfigureAwait(false);

            var checks = await migration.VerifyAsync(ct).ConfigureAwait(false);
            var table = new Table().AddColumns("table", "embedded", "PostgreSQL", "");
            foreach (var check in checks)
            {
                table.AddRow(check.Table, check.SourceRows.ToString("N0", CultureInfo.InvariantCulture), check.TargetRows.ToString("N0", CultureInfo.InvariantCulture),
                    check.Equal ? "[green]equal[/]" : $"[red]{check.Mismatches.Count} differ[/]");
            }

            AnsiConsole.Write(table);
            foreach (var mismatch in checks.SelectMany(c => c.Mismatches).Take(20))
            {
                await output.WriteLineAsync("differs: " + mismatch).ConfigureAwait(false);
            }

            var equal = checks.All(c => c.Equal);
            await output.WriteLineAsync(equal
                ? $"migrated {checks.Sum(c => c.SourceRows):N0} rows in {clock.Elapsed.TotalSeconds:F1} s; every table, meter and rollup series equal. Set EnergyMonitor:Storage:Kind to Postgres."
                : "the copy differs from the embedded database; run migrate again (it resumes), and report it if it still differs").ConfigureAwait(false);
            return equal ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }
}
