using System.Globalization;
using System.Text;
using EnergyMonitor.Reports.Charts;
using SkiaSharp;

namespace EnergyMonitor.Reports.Tests;

/// <summary>
/// The shipped font has a glyph for every character a person can be shown: each character of the code, the
/// templates, the console's assets and the example configuration (the folders and suffixes scripts/subset-font.py
/// reads), and all of GB 2312. A new string with a character the subset lacks fails here, naming the character and
/// its file; scripts/subset-font.py then makes the subset again.
/// </summary>
public sealed class FontCoverageTests
{
    private static readonly string[] Folders = ["Core", "Storage", "Analytics", "Reports", "Modbus", "Site", "Acquisition", "Notifications", "Web", "Simulation", "Service", "config"];
    private static readonly HashSet<string> Suffixes = [".cs", ".liquid", ".js", ".css", ".html", ".yaml", ".json", ".csv"];

    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnergyMonitor.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("the repository root (EnergyMonitor.sln) is not above " + AppContext.BaseDirectory);
        }
    }

    private static SKTypeface Shipped { get; } = SKTypeface.FromData(SKData.CreateCopy(ReportFonts.Shipped.TrueType));

    private static bool Drawable(Rune rune) => Shipped.GetGlyph(rune.Value) != 0;

    // Emoji and dingbats in the chat channels' messages (🔴, ✅ in WeCom and DingTalk markdown) are drawn by the
    // receiving app, never with this font; so are control characters.
    private static bool Shown(Rune rune) =>
        rune.Value >= 0x20 && rune.Value != 0x7F && !Rune.IsControl(rune)
        && !(Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol && rune.Value >= 0x2600)
        && rune.Value is not (0xFEFF or 0xFE0F);

    [Fact]
    public void Every_character_of_the_code_templates_and_example_configuration_has_a_glyph()
    {
        var missing = new SortedDictionary<int, string>();
        var files = 0;
        foreach (var folder in Folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, folder), "*", SearchOption.AllDirectories))
            {
                if (!Suffixes.Contains(Path.GetExtension(file)) || file.Contains("/bin/", StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal))
                {
                    continue;
                }

                files++;
                foreach (var rune in File.ReadAllText(file).EnumerateRunes())
                {
                    if (Shown(rune) && !Drawable(rune))
                    {
                        missing.TryAdd(rune.Value, Path.GetRelativePath(Root, file));
                    }
                }
            }
        }

        Assert.True(files > 200, $"only {files} files read: the folders moved?");
        Assert.True(missing.Count == 0, "the shipped font lacks: " + string.Join(", ", missing.Select(m => $"U+{m.Key:X4} '{char.ConvertFromUtf32(m.Key)}' ({m.Value})")) +
            "; run scripts/subset-font.py");
    }

    [Fact]
    public void Every_character_of_GB_2312_has_a_glyph()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb2312 = Encoding.GetEncoding("GB2312", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var chars = new List<string>();
        for (var high = 0xA1; high <= 0xF7; high++)
        {
            for (var low = 0xA1; low <= 0xFE; low++)
            {
                try
                {
                    var c = gb2312.GetString([(byte)high, (byte)low]);
                    if (c[0] is < '\uE000' or > '\uF8FF')
                    {
                        chars.Add(c);
                    }
                }
                catch (DecoderFallbackException)
                {
                    // an unassigned cell of the table; .NET reads the others past GB 2312's characters as private use
                }
            }
        }

        // WenQuanYi Micro Hei itself has no ɑ (U+0251) or ɡ (U+0261), GB 2312's two pinyin-only letters (row 8):
        // nothing the project prints uses them, and the test above would name any that did.
        var lacking = chars.Where(c => !Drawable(Rune.GetRuneAt(c, 0)) && c is not ("\u0251" or "\u0261")).ToList();
        Assert.True(chars.Count > 7400, $"{chars.Count} characters decoded from GB 2312");
        Assert.True(lacking.Count == 0, $"{lacking.Count} of GB 2312 lack a glyph: {string.Concat(lacking.Take(40))}");
    }

    [Fact]
    public void A_character_the_font_lacks_is_found_missing()
    {
        // The self-test: a rare CJK Extension B character and an emoji are not in the subset, and are reported so.
        Assert.False(Drawable(new Rune(0x20BB7))); // 𠮷
        Assert.True(Drawable(new Rune('能')));
    }
}
