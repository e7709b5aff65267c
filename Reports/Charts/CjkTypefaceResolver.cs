using ScottPlot;
using SkiaSharp;

namespace EnergyMonitor.Reports.Charts;

/// <summary>
/// ScottPlot's source of the report font, from its bytes rather than a file, so that the shipped font needs no
/// installation. ScottPlot keeps its resolvers in a process-wide list; each font is registered there once, under
/// its <see cref="CjkFont.Source"/>, which is unique (a system font of the same family stays apart from the shipped one).
/// </summary>
public sealed class CjkTypefaceResolver : IFontResolver
{
    private static readonly Lock Gate = new();
    private readonly string _name;
    private readonly SKTypeface _typeface;

    private CjkTypefaceResolver(CjkFont font)
    {
        _name = font.Source;
        _typeface = SKTypeface.FromData(SKData.CreateCopy(font.TrueType))
            ?? throw new InvalidOperationException($"the report font ({font.Source}) is not a font SkiaSharp can read");
    }

    /// <summary>Registers <paramref name="font"/> with ScottPlot (once) and returns the name plots use for it.</summary>
    public static string Register(CjkFont font)
    {
        lock (Gate)
        {
            if (!Fonts.FontResolvers.OfType<CjkTypefaceResolver>().Any(r => r._name == font.Source))
            {
                Fonts.FontResolvers.Insert(0, new CjkTypefaceResolver(font));
            }
        }

        return font.Source;
    }

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        fontName == _name ? _typeface : null;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        fontName == _name ? _typeface : null;
}
