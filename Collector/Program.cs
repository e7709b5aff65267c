using System.CommandLine;
using EnergyMonitor.Collector.Cli;

// System.CommandLine turns SIGTERM and Ctrl+C into cancellation, then ends the process (exit 143) if the
// command has not finished within the timeout. The service needs longer than its 2-second default to stop
// pollers, deliver the outbox's batch in flight and close the store; systemd allows 90 s.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
return await CommandLine.Build().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
