using System.Diagnostics;
using System.Globalization;
using System.Net;
using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Dlt645;
using EnergyMonitor.MeterProtocols.Line;
using EnergyMonitor.Simulation.MeterBus;

namespace EnergyMonitor.Bench;

/// <summary>
/// One round of a DL/T 645 line: <c>meters</c> meters × 3 identifiers behind a simulated transparent gateway that
/// answers after 30 ms and takes the answer's wire time at 2400 baud. The baseline is what the line itself costs:
/// answer delay, answer bytes at 11 bits each, and the 20 ms rest between frames. The ratio says how much of the
/// round is ours; the CPU share says how idle the process is while the line works.
/// </summary>
public static class MeterBusCycleBench
{
    public static async Task RunAsync(int meters, int rounds)
    {
        var template = new Dlt645Template("bench", "generic", "bench", "bench", Dlt645Edition.V2007,
        [
            Point("energy_import", "00010000", new BcdFormat(4, 2), true),
            Point("voltage_a", "02010100", new BcdFormat(2, 1), false),
            Point("power_total", "02030000", new BcdFormat(3, 4, Signed: true), false),
        ]);
        var simulated = Enumerable.Range(1, meters).Select(i => (SimulatedBusMeter)new SimulatedDlt645Meter(
            new MeterId($"m{i}"), Dlt645Address.Parse(i.ToString("D12", CultureInfo.InvariantCulture)), template)
        { Counter = 1000 + i, RatePerHour = 12.5 }).ToList();
        var answerDelay = TimeSpan.FromMilliseconds(30);
        await using var line = new SimulatedLine(simulated, 2400, answerDelay);
        line.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new MeterLineOptions();
        await using var meterLine = MeterLine.Tcp("127.0.0.1", line.Port, options);
        using var client = new Dlt645Client(meterLine);

        // Answers: 12 bytes of frame + 2 of preamble + DI + value; 11 bits a byte at 2400 baud.
        var perRound = TimeSpan.Zero;
        foreach (var point in template.Points)
        {
            var answerBytes = 2 + 12 + 4 + point.Format.Bytes;
            perRound += (answerDelay + TimeSpan.FromSeconds(answerBytes * 11.0 / 2400) + options.PauseBetweenRequests) * meters;
        }

        await ReadRoundAsync(client, simulated, template); // connect and warm up
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            await ReadRoundAsync(client, simulated, template);
        }

        var elapsed = clock.Elapsed / rounds;
        process.Refresh();
        var cpuShare = (process.TotalProcessorTime - cpu) / (clock.Elapsed * Environment.ProcessorCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{meters} meters × {template.Points.Count} identifiers: {elapsed.TotalSeconds:F2} s a round (mean of {rounds}); the line's own time {perRound.TotalSeconds:F2} s; ratio {elapsed / perRound:F3}; CPU {cpuShare:P2} of {Environment.ProcessorCount} cores (client and simulator together)"));
    }

    private static async Task ReadRoundAsync(Dlt645Client client, List<SimulatedBusMeter> meters, Dlt645Template template)
    {
        foreach (var meter in meters.Cast<SimulatedDlt645Meter>())
        {
            foreach (var point in template.Points)
            {
                _ = await client.ReadValueAsync(meter.Address, point.Identifier, point.Format, CancellationToken.None);
            }
        }
    }

    private static Dlt645Point Point(string name, string di, BcdFormat format, bool primary) =>
        new(name, name, DataIdentifier.Parse(di), format, primary ? "kWh" : "", primary, false, TransformerScaling.None, null, null);
}
