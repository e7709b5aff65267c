using System.CommandLine;

namespace EnergyMonitor.Service.Cli;

/// <summary>The <c>energymonitor</c> command tree.</summary>
public static class CommandLine
{
    public static RootCommand Build(TimeProvider time)
    {
        var root = new RootCommand(
            "EnergyMonitor: energy metering and conservation analytics for public institutions. " +
            "Reads meters over Modbus and MQTT, stores readings (embedded SQLite or InfluxDB), and turns them into " +
            "consumption, standard coal, CO2, indicators, alerts and reports.");
        root.Add(CheckConfigCommand.Create(time));
        root.Add(DemoCommand.Create(time));
        root.Add(RunCommand.Create(time));
        root.Add(ModbusCommands.Create(time));
        root.Add(MeterBusCommands.Dlt645(time));
        root.Add(MeterBusCommands.Cjt188());
        root.Add(ImportCommand.Create(time));
        root.Add(QuarantineCommand.Create(time));
        root.Add(RollupCommand.Create(time));
        root.Add(AssessCommands.Weather(time));
        root.Add(AssessCommands.Assess(time));
        root.Add(AlertCommands.Create(time));
        root.Add(ScoreCommand.Create(time));
        root.Add(ReportCommand.Create(time));
        root.Add(SubmitCommand.Create(time));
        root.Add(ApiKeyCommand.Create(time));
        root.Add(UserCommands.Create(time));
        root.Add(BackupCommand.Create(time));
        root.Add(MigrateCommand.Create(time));
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
