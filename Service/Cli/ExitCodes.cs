namespace EnergyMonitor.Service.Cli;

/// <summary>Process exit codes that scripts and service managers can act on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;

    /// <summary>The configuration is invalid; the errors went to stderr. Restarting will not help.</summary>
    public const int ConfigInvalid = 2;

    /// <summary>Stopped by SIGINT or SIGTERM before the work was done; what was done is said on stdout (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
