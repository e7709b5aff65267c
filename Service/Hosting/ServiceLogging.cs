using EnergyMonitor.Service.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EnergyMonitor.Service.Hosting;

/// <summary>
/// The service's logs: readable lines on the console (journald or the terminal) and one JSON event per line in a
/// file rolled daily and kept for the configured days. Quartz's and ASP.NET Core's informational chatter is held
/// back to warnings so that the service's own events stand out.
/// </summary>
internal static class ServiceLogging
{
    public static void Configure(WebApplicationBuilder builder, LoggingSettings logs, string dataDirectory)
    {
        var level = Enum.Parse<LogEventLevel>(logs.Level);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)

            // On Linux the console's cookie keys are kept unencrypted in the data folder, whose permissions protect
            // them (docs/OPERATIONS.md); the warning saying so at every start would only be noise.
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", (LogEventLevel)Math.Max((int)level, (int)LogEventLevel.Information))
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .MinimumLevel.Override("MQTTnet", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(logs.Directory))
        {
            var directory = Path.IsPathRooted(logs.Directory) ? logs.Directory : Path.Combine(dataDirectory, logs.Directory);
            // Days bound the files by age and the count bounds them by size: at most MaxTotal / MaxFile files of
            // MaxFile each (32 files of 32 MB by default). Before, a day's file grew to 256 MB and a flood rolled 30 of them.
            var fileBytes = logs.MaxFileMegabytes * 1024L * 1024;
            configuration = configuration.WriteTo.File(new CompactJsonFormatter(), Path.Combine(directory, "energymonitor-.log"),
                rollingInterval: RollingInterval.Day, fileSizeLimitBytes: fileBytes, rollOnFileSizeLimit: true, shared: false,
                retainedFileCountLimit: Math.Max(1, logs.MaxTotalMegabytes / logs.MaxFileMegabytes), retainedFileTimeLimit: TimeSpan.FromDays(logs.RetainedDays));
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(configuration.CreateLogger(), dispose: true);
    }
}
