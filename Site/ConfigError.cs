namespace EnergyMonitor.Site;

/// <summary>
/// One problem in a configuration file, precise enough for an operator to fix it without reading code:
/// <c>config/site.yaml:42:9: institutions[1].buildings[0].meters[3].multiplier: found "-2"; expected a positive number</c>.
/// </summary>
public sealed record ConfigError(string File, int Line, int Column, string Path, string Found, string Expected)
{
    /// <summary>
    /// How much of what was found an error repeats: enough to recognise it, not a file pasted into the terminal and
    /// the journal (SiteFile: /etc/passwd echoed every line of it).
    /// </summary>
    public const int MaxFound = 160;

    public string Found { get; } = Clip(Found);

    public override string ToString() => $"{File}:{Line}:{Column}: {Path}: found {Found}; expected {Expected}";

    /// <summary>The first line of <paramref name="found"/>, control characters shown as �, cut at <see cref="MaxFound"/> characters.</summary>
    public static string Clip(string found)
    {
        var newline = found.IndexOfAny(['\r', '\n']);
        var line = newline < 0 ? found : found[..newline] + " …";
        var printable = string.Concat(line.Select(c => char.IsControl(c) ? '\uFFFD' : c));
        return printable.Length <= MaxFound ? printable : printable[..MaxFound] + $"… ({found.Length:N0} characters)";
    }
}

/// <summary>Thrown when configuration cannot be used; carries every error found, not only the first.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception($"{errors.Count} configuration error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
