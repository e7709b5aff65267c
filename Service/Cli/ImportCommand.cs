using System.CommandLine;
using EnergyMonitor.Acquisition.Import;
using EnergyMonitor.Core.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace EnergyMonitor.Service.Cli;

internal static class ImportCommand
{
    public static Command Create(TimeProvider time)
    {
        var file = new Argument<FileInfo>("file") { Description = "A .csv or .xlsx file with columns meter, timestamp, value and optionally quality." };
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var command = new Command("import",
            "Import readings from a CSV or Excel file into the configured store. Every row is checked first; a file with any bad row is " +
            "not imported (exit 2). The file is written in one transaction: interrupted, nothing of it is stored, and it is simply run again. " +
            "Importing the same file again changes nothing.")
        {
            file, settings, site,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var path = parse.GetRequiredValue(file).FullName;
            var limits = new ImportLimits(config.Time.GetUtcNow(), config.Settings.Mqtt.FutureSkew);
            var (samples, errors) = ReadingFile.Read(path, config.Site.Model, limits, ct);
            if (errors.Count > 0)
            {
                return await ConfigReport.RefuseFileAsync(errors, parse.InvocationConfiguration.Error).ConfigureAwait(false);
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var sink = store.Services.GetRequiredService<ISampleSink>();
            await output.WriteLineAsync($"writing {samples.Count} readings from {path} in one transaction").ConfigureAwait(false);
            try
            {
                await sink.AcceptAsync(samples, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The transaction rolled back (the embedded store and the outbox both write a batch in one): a
                // SIGTERM at row 117,000 of 1,000,000 left those rows committed and printed nothing.
                await output.WriteLineAsync($"interrupted: none of the {samples.Count} readings were stored; run the import again").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            await output.WriteLineAsync($"stored {samples.Count} readings").ConfigureAwait(false);
            try
            {
                await store.FinishAsync(output, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await output.WriteLineAsync($"interrupted while delivering: all {samples.Count} readings are in the outbox, and the service delivers them when it runs").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            await output.WriteLineAsync($"imported {samples.Count} readings from {path}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
