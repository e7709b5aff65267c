using System.CommandLine;
using EnergyMonitor.Service.Cli;
using EnergyMonitor.Service.Hosting;

var (clock, clockError) = ProcessClock.From(Environment.GetEnvironmentVariable(ProcessClock.Variable));
if (clock is null)
{
    await Console.Error.WriteLineAsync(clockError).ConfigureAwait(false);
    return ExitCodes.ConfigInvalid;
}

var parse = CommandLine.Build(clock).Parse(args);

// Commands that end on their own take SIGTERM and Ctrl+C from System.CommandLine as cancellation (and exit 143
// if they have not finished 30 s later). `run` leaves the signals to the host's lifetime (systemd, Windows
// service or console), which stops it within ServiceHost.ShutdownTimeout: two owners of SIGTERM in one process
// left one signal in about eighty answered by the runtime's default (exit 143, nothing flushed), because
// System.CommandLine's handler blocks the signal thread until the command ends.
var invocation = new InvocationConfiguration
{
    ProcessTerminationTimeout = parse.CommandResult.Command.Name == "run" ? null : TimeSpan.FromSeconds(30),
};
return await parse.InvokeAsync(invocation).ConfigureAwait(false);
