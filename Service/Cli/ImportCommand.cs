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
        var batch = new Option<int>("--batch") { Description = "Readings per committed batch.", DefaultValueFactory = _ => 1000 };
        var command = new Command("import",
            "Import readings from a CSV or Excel file into the configured store. Every row is checked first; a file with any bad row is " +
            "not imported (exit 2). Importing the same file again changes nothing, so an interrupted import is simply run again.")
        {
            file, settings, site, batch,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var path = parse.GetRequiredValue(file).FullName;
            var (samples, errors) = ReadingFile.Read(path, config.Site.Model);
            if (errors.Count > 0)
            {
                return await ConfigReport.RefuseFileAsync(errors, parse.InvocationConfiguration.Error).ConfigureAwait(false);
            }

            await using var store = await CliStore.OpenAsync(config, ct).ConfigureAwait(false);
            var sink = store.Services.GetRequiredService<ISampleSink>();
            var committed = 0;
            foreach (var chunk in samples.Chunk(Math.Max(1, parse.GetValue(batch))))
            {
                await sink.AcceptAsync(chunk, ct).ConfigureAwait(false);
                committed += chunk.Length;
                await output.WriteLineAsync($"committed {committed} of {samples.Count}").ConfigureAwait(false);
            }

            await store.FinishAsync(output, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"imported {samples.Count} readings from {path}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
