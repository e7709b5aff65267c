using System.CommandLine;
using EnergyMonitor.Service.Hosting;

namespace EnergyMonitor.Service.Cli;

internal static class RunCommand
{
    public static Command Create(TimeProvider time)
    {
        var settings = CommonOptions.Settings();
        var site = CommonOptions.Site();
        var command = new Command("run",
            "Run the collector service in the foreground, or under systemd (Type=notify) or as a Windows service. " +
            "Loads and validates the configuration (exit 2 if invalid), opens the store and runs until stopped.")
        {
            settings, site,
        };
        command.SetConfiguredAction(settings, site, time, async (parse, config, cancellationToken) =>
        {
            await ServiceHost.RunAsync(config.Settings, config.Site, config.SettingsFile, config.Time, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
