using EnergyMonitor.Reports.Charts;
using PdfSharp.Fonts;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// PDFsharp's font source: the report font (<see cref="ReportFonts"/>), embedded as a subset in each PDF. PDFsharp
/// keeps its resolver process-wide, so it is set once: a process draws every PDF with the first font it was given.
/// </summary>
internal sealed class CjkFontResolver(byte[] font) : IFontResolver
{
    public const string Family = "EnergyMonitorCjk";

    private static readonly Lock Gate = new();

    public static void Use(CjkFont font)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not CjkFontResolver)
            {
                GlobalFontSettings.FontResolver = new CjkFontResolver(font.TrueType);
            }
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new("cjk", isBold, isItalic);

    public byte[] GetFont(string faceName) => font;
}
