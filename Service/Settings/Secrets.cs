using EnergyMonitor.Site;

namespace EnergyMonitor.Service.Settings;

/// <summary>
/// Resolves a secret named in configuration: from an environment variable (<c>…Env</c>) or from a file
/// (<c>…File</c>, e.g. a systemd credential or a Kubernetes secret mount). The value itself never sits in a config file.
/// </summary>
public static class Secrets
{
    /// <returns>The secret, or null when neither source is configured.</returns>
    /// <exception cref="ConfigException">A source is configured but yields nothing.</exception>
    public static string? Resolve(string? envName, string? filePath, string fieldPath, string settingsFile, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(envName))
        {
            var value = environment(envName);
            if (string.IsNullOrEmpty(value))
            {
                throw new ConfigException([new ConfigError(settingsFile, 0, 0, $"{fieldPath}Env", $"environment variable {envName} unset or empty", "the variable set in the service's environment")]);
            }

            return value;
        }

        if (!string.IsNullOrEmpty(filePath))
        {
            try
            {
                // Trailing newlines come from editors and `echo`; they are never part of a password.
                return File.ReadAllText(filePath).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException([new ConfigError(settingsFile, 0, 0, $"{fieldPath}File", $"{filePath}: {e.Message}", "a file readable by the service holding only the secret")]);
            }
        }

        return null;
    }
}
