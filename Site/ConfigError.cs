namespace EnergyMonitor.Site;

/// <summary>
/// One problem in a configuration file, precise enough for an operator to fix it without reading code:
/// <c>config/site.yaml:42:9: institutions[1].buildings[0].meters[3].multiplier: found "-2"; expected a positive number</c>.
/// </summary>
public sealed record ConfigError(string File, int Line, int Column, string Path, string Found, string Expected)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Path}: found {Found}; expected {Expected}";
}

/// <summary>Thrown when configuration cannot be used; carries every error found, not only the first.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception($"{errors.Count} configuration error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
