using System.Diagnostics;

namespace EnergyMonitor.Reports.Charts;

/// <summary>
/// The CJK font the reports draw with: its family name, its one face as TrueType bytes (for ScottPlot and the PDF,
/// which embeds a subset of it), the same face as WOFF2 for the HTML when we have one, and where it came from.
/// </summary>
public sealed record CjkFont(string Family, byte[] TrueType, byte[]? Woff2, string Source);

/// <summary>No configured CJK font is installed: charts and PDFs would draw boxes instead of Chinese.</summary>
public sealed class MissingCjkFontException(IReadOnlyList<string> tried)
    : Exception($"none of the configured fonts ({string.Join(", ", tried)}) is installed, as fontconfig reports; install one, " +
        "or leave the setting empty to use the font shipped with EnergyMonitor");

/// <summary>
/// The report font. By default the one shipped inside this assembly (a subset of WenQuanYi Micro Hei, Apache-2.0,
/// covering GB 2312 and every string of the project: Fonts/README.md), so that a server with no CJK font still
/// writes reports whose Chinese is text, never boxes; a demo on a bare machine once wrote none. An operator may
/// name system font families instead, found through fontconfig; one that is not installed is an error, not a
/// silent fallback.
/// </summary>
public static class ReportFonts
{
    public const string ShippedFamily = "WenQuanYi Micro Hei";

    private static readonly Lazy<CjkFont> ShippedFont = new(() => new CjkFont(ShippedFamily,
        Resource("wqy-microhei-subset.ttf"), Resource("wqy-microhei-subset.woff2"), "shipped: WenQuanYi Micro Hei 0.2.0-beta, subset (Apache-2.0)"));

    /// <summary>The font shipped with EnergyMonitor.</summary>
    public static CjkFont Shipped => ShippedFont.Value;

    /// <summary>The shipped font when <paramref name="families"/> is empty, else the first of them that is installed.</summary>
    /// <exception cref="MissingCjkFontException">Families were named and none of them is installed.</exception>
    public static CjkFont Resolve(IReadOnlyList<string> families)
    {
        if (families.Count == 0)
        {
            return Shipped;
        }

        foreach (var family in families)
        {
            if (Match(family) is { } file)
            {
                return new CjkFont(family, Rendering.TrueTypeCollection.FirstFace(File.ReadAllBytes(file)), null, "system: " + file);
            }
        }

        throw new MissingCjkFontException(families);
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(ReportFonts).Assembly.GetManifestResourceStream("Fonts." + name)
            ?? throw new InvalidOperationException($"the report font {name} is not embedded in {typeof(ReportFonts).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The file fontconfig gives for <paramref name="family"/>, if it really matched that family (it otherwise falls back to any font).</summary>
    private static string? Match(string family)
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
                ? lines[1].Trim()
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No fontconfig on this machine (Windows, or fc-match missing): no system font can be found through it.
            return null;
        }
    }
}
