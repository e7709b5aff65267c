using System.CommandLine;
using EnergyMonitor.Service.Cli;
using EnergyMonitor.Testing;

namespace EnergyMonitor.Service.Tests.Cli;

/// <summary>Runs <c>energymonitor</c> commands in process, and lays out the files a command reads.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CommandLine.Build(TimeProvider.System).Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Copies the shipped meter templates into <c>templates/</c> beside a site file in <paramref name="directory"/>.</summary>
    public static void CopyTemplates(string directory)
    {
        var templates = Path.Combine(Repository.Root(), "config", "templates");
        Directory.CreateDirectory(Path.Combine(directory, "templates"));
        foreach (var file in Directory.GetFiles(templates))
        {
            File.Copy(file, Path.Combine(directory, "templates", Path.GetFileName(file)), overwrite: true);
        }
    }
}
