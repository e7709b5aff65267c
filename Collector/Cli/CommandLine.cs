using System.CommandLine;

namespace EnergyMonitor.Collector.Cli;

/// <summary>The <c>energymonitor</c> command tree.</summary>
public static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "EnergyMonitor: energy metering and conservation analytics for public institutions. " +
            "Reads meters over Modbus and MQTT, stores readings (embedded SQLite or InfluxDB), and turns them into " +
            "consumption, standard coal, CO2, indicators, alerts and reports.");
        root.Add(CheckConfigCommand.Create());
        root.Add(DemoCommand.Create());
        root.Add(RunCommand.Create());
        root.Add(ModbusCommands.Create());
        root.Add(ImportCommand.Create());
        root.Add(QuarantineCommand.Create());
        root.Add(RollupCommand.Create());
        root.Add(AssessCommands.Weather());
        root.Add(AssessCommands.Assess());
        root.Add(AlertCommands.Create());
        root.Add(ScoreCommand.Create());
        root.Add(ReportCommand.Create());
        root.Add(SubmitCommand.Create());
        root.Add(ApiKeyCommand.Create());
        root.Add(BackupCommand.Create());
        return root;
    }
}

/// <summary>Options shared by commands that read the configuration.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Settings() => new("--settings")
    {
        Description = "The service settings file (storage, logging). Default: $ENERGYMONITOR_SETTINGS, else config/appsettings.json.",
        DefaultValueFactory = _ => new FileInfo(Environment.GetEnvironmentVariable("ENERGYMONITOR_SETTINGS") ?? "config/appsettings.json"),
    };

    public static Option<FileInfo?> Site() => new("--config")
    {
        Description = "The site file (institutions, buildings, meters). Default: the SiteFile named in the settings file.",
    };
}
