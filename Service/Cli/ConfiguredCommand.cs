using System.CommandLine;
using EnergyMonitor.Acquisition;
using EnergyMonitor.Service.Settings;
using EnergyMonitor.Site;

namespace EnergyMonitor.Service.Cli;

/// <summary>The settings and site a command runs with.</summary>
/// <param name="Time">The process clock (<see cref="Hosting.ProcessClock"/>), which every command reads for "now".</param>
internal sealed record CliConfig(ServiceSettings Settings, LoadedSite Site, string SettingsFile, TimeProvider Time);

/// <summary>The one place where a command's configuration is loaded, its errors written, and exit code 2 returned.</summary>
internal static class ConfiguredCommand
{
    /// <summary>Runs <paramref name="action"/> with valid settings and site; otherwise writes every error to stderr and exits 2.</summary>
    public static void SetConfiguredAction(this Command command, Option<FileInfo> settings, Option<FileInfo?> site, TimeProvider time, Func<ParseResult, CliConfig, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settingsFile = parse.GetRequiredValue(settings);
            var (loadedSettings, loaded) = ConfigReport.Load(settingsFile, parse.GetValue(site), parse.InvocationConfiguration.Error, time);
            if (loadedSettings is null || loaded is null)
            {
                return ExitCodes.ConfigInvalid;
            }

            try
            {
                return await action(parse, new CliConfig(loadedSettings, loaded, settingsFile.FullName, time), cancellationToken).ConfigureAwait(false);
            }
            catch (ConfigException e)
            {
                // Settings that only fail when used, such as a secret that is not where the settings say.
                ConfigReport.Write(e.Errors, parse.InvocationConfiguration.Error);
                return ExitCodes.ConfigInvalid;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // SIGTERM or Ctrl+C: System.CommandLine answered exit 1 and said nothing. A command that can leave
                // something half done says what itself before this.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"interrupted: {command.Name} stopped before it finished").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
        });

    /// <summary>
    /// Runs <paramref name="action"/> with a valid site; the settings only need to name it. For the technicians' and demo
    /// commands, which work on a site without the service's storage.
    /// </summary>
    public static void SetSiteAction(this Command command, Option<FileInfo> settings, Option<FileInfo?> site, TimeProvider time, Func<ParseResult, LoadedSite, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (_, loaded) = ConfigReport.Load(parse.GetRequiredValue(settings), parse.GetValue(site), parse.InvocationConfiguration.Error, time);
            return loaded is null ? ExitCodes.ConfigInvalid : await action(parse, loaded, cancellationToken).ConfigureAwait(false);
        });
}
