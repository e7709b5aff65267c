using System.Diagnostics;

namespace EnergyMonitor.Reports.Charts;

/// <summary>A CJK font found on this machine: its family name and file.</summary>
public sealed record CjkFont(string Family, string File);

/// <summary>No configured CJK font is installed: charts and PDFs would draw boxes instead of Chinese.</summary>
public sealed class MissingCjkFontException(IReadOnlyList<string> tried)
    : Exception($"no CJK font found (tried {string.Join(", ", tried)} through fontconfig); install one, e.g. on Debian/Ubuntu: " +
        "apt-get install fonts-wqy-microhei (or fonts-noto-cjk), then run again");

/// <summary>
/// Finds the first installed font of a configured list through fontconfig (<c>fc-match</c>), checking that fontconfig
/// really matched the family asked for (it otherwise falls back to any font, which would draw boxes for Chinese).
/// </summary>
public static class ChartFonts
{
    /// <summary>The default list: WenQuanYi Micro Hei (fonts-wqy-microhei), then Noto Sans CJK SC (fonts-noto-cjk).</summary>
    public static IReadOnlyList<string> DefaultFamilies { get; } = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC"];

    /// <exception cref="MissingCjkFontException">None of <paramref name="families"/> is installed.</exception>
    public static CjkFont Find(IReadOnlyList<string> families)
    {
        foreach (var family in families)
        {
            if (Match(family) is { } match)
            {
                return match;
            }
        }

        throw new MissingCjkFontException(families);
    }

    private static CjkFont? Match(string family)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("fc-match", ["-f", "%{family}\n%{file}", $"{family}:lang=zh-cn"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            var lines = output.Split('\n');
            return lines.Length >= 2 && lines[0].Split(',').Any(f => string.Equals(f.Trim(), family, StringComparison.OrdinalIgnoreCase)) && File.Exists(lines[1].Trim())
                ? new CjkFont(family, lines[1].Trim())
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No fontconfig on this machine (fc-match missing): no font can be found through it.
            return null;
        }
    }
}
