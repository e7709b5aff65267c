using EnergyMonitor.Collector.Configuration;
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

            try
            {
                await ServiceHost.RunAsync(loadedSettings, loaded, parse.GetRequiredValue(settings).FullName, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (ConfigException e)
            {
                ConfigReport.Write(e.Errors, parse.InvocationConfiguration.Error);
                return ExitCodes.ConfigInvalid;
            }
        });
        return command;
    }
}
