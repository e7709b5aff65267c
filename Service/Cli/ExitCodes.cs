namespace EnergyMonitor.Service.Cli;

/// <summary>Process exit codes that scripts and service managers can act on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;

    /// <summary>The configuration is invalid; the errors went to stderr. Restarting will not help.</summary>
    public const int ConfigInvalid = 2;
}
