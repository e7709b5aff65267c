using System.Globalization;
using EnergyMonitor.Acquisition;
using EnergyMonitor.Acquisition.Pipeline;
using EnergyMonitor.Acquisition.Polling;
using EnergyMonitor.Core.Domain;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

/// <summary>Reads every polled meter of a site once, line by line, and prints a table of each point's value or error.</summary>
internal static class LineScan
{
    public static async Task<int> RunAsync(LoadedSite loaded, TimeProvider time, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var pollers = PollerFactory.Create(loaded, new NullSink(), new PollerOptions { DeviceFailuresToPark = 1000 }, time, loggers);
        var results = await Task.WhenAll(pollers.Select(async p =>
        {
            await using var poller = p;
            return (Poller: p, Samples: await p.PollAllOnceAsync(ct).ConfigureAwait(false));
        })).ConfigureAwait(false);

        var table = new Table().AddColumns("Gateway", "Meter", "Device", "Point", "Value", "Quality");
        var normalizer = new SampleNormalizer(loaded.Model);
        var missing = 0;
        foreach (var (poller, samples) in results)
        {
            foreach (var sample in samples)
            {
                var device = poller.Devices.First(m => m.Meter.Id == sample.Meter);
                // What the service would store: the pipeline's normaliser applies the transformer ratios and the unit.
                _ = normalizer.TryNormalize(sample, out var stored);
                var point = sample.Point ?? device.PrimaryPoint;
                var unit = sample.Point is null ? device.Meter.CanonicalUnit.Symbol : device.UnitOf(sample.Point);
                missing += (stored.Quality & ReadingQuality.Missing) != 0 ? 1 : 0;
                table.AddRow(poller.GatewayId, sample.Meter.Value, device.Device, point,
                    (stored.Quality & ReadingQuality.Missing) != 0 ? "[red]–[/]" : $"{stored.Value.ToString("G8", CultureInfo.InvariantCulture)} {Markup.Escape(unit)}",
                    stored.Quality.ToString());
            }
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(missing == 0 ? "[green]every point answered[/]" : $"[yellow]{missing} points did not answer; the log above says why[/]");
        return missing == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>A scan prints what it read; nothing is stored.</summary>
    private sealed class NullSink : Core.Ports.ISampleSink
    {
        public ValueTask AcceptAsync(IReadOnlyList<Sample> samples, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
