using System.CommandLine;
using EnergyMonitor.Acquisition;

namespace EnergyMonitor.Service.Cli;

internal static class CheckConfigCommand
{
    public static Command Create(TimeProvider time)
    {
        var path = new Argument<FileInfo?>("path")
        {
            Description = "The site file to check. Default: the SiteFile named in the settings file.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var settings = CommonOptions.Settings();
        var command = new Command("check-config",
            "Validate the settings and site files and report every error with file, line, field path, what was found and what was expected. " +
            "Exits 0 when valid and 2 when not.")
        {
            path,
            settings,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var settingsFile = parse.GetRequiredValue(settings);
            var siteFile = parse.GetValue(path);
            if (siteFile is not null && !settingsFile.Exists)
            {
                // Checking a lone site file (e.g. before copying it to a server) needs no settings file.
                var (lone, errors) = SiteFiles.Load(siteFile.FullName, time);
                ConfigReport.Write(errors, error);
                return Report(output, error, lone?.Model);
            }

            var (loadedSettings, site) = ConfigReport.Load(settingsFile, siteFile, error, time);
            if (loadedSettings is null || site is null)
            {
                return Report(output, error, null);
            }

            var serviceErrors = ConfigReport.LoadServiceFiles(loadedSettings, site, settingsFile.FullName, time);
            ConfigReport.Write(serviceErrors, error);
            return Report(output, error, serviceErrors.Count == 0 ? site.Model : null);
        });
        return command;
    }

    private static int Report(TextWriter output, TextWriter error, Core.Site.SiteModel? site)
    {
        if (site is null)
        {
            error.WriteLine("configuration invalid");
            return ExitCodes.ConfigInvalid;
        }

        output.WriteLine(
            $"configuration valid: {site.Name}: {site.Institutions.Count} institutions, {site.Buildings.Count()} buildings, " +
            $"{site.Meters.Count()} meters, {site.Gateways.Count} gateways, time zone {site.TimeZone.Id}");
        return ExitCodes.Ok;
    }
}
