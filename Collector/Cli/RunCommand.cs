using System.CommandLine;
using EnergyMonitor.Collector.Hosting;

namespace EnergyMonitor.Collector.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var command = new Command("run",
            "Run the collector service in the foreground, or under systemd (Type=notify) or as a Windows service. " +
            "Loads and validates the configuration (exit 2 if invalid), opens the store and runs until stopped.")
        {
            settings, site,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (loadedSettings, loaded) = ConfigReport.Load(parse.GetRequiredValue(settings), parse.GetValue(site), parse.InvocationConfiguration.Error, TimeProvider.System);
            if (loadedSettings is null || loaded is null)
            {
                return ExitCodes.ConfigInvalid;
            }

            return await ServiceHost.RunAsync(loadedSettings, loaded, parse.GetRequiredValue(settings).FullName, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
