using EnergyMonitor.Reports.Charts;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace EnergyMonitor.Reports.Rendering;

/// <summary>
/// The PDF's layout engine, since MigraDoc is not served here: it lays text, tables and images down A4 pages,
/// opening a new page when the next block does not fit, repeating a table's header on every page it reaches, and
/// numbering the pages once all are laid out.
/// </summary>
internal sealed class PdfPageWriter(PdfDocument document)
{
    public const double Margin = 42;
    public const double RowPadding = 3;

    private PdfPage? _page;
    private XGraphics? _graphics;
    private double _y;

    private XGraphics G => _graphics ?? NewPage();

    private double Width => _page!.Width.Point - (2 * Margin);

    private double Bottom => _page!.Height.Point - Margin - 14;

    public void Space(double points) => _y += points;

    /// <summary>A heading, moved to the next page with what follows it when less than <paramref name="keepWith"/> points are left.</summary>
    public void Heading(string text, double keepWith = 90)
    {
        _ = G;
        Ensure(keepWith);
        Text(text, 12.5, bold: true);
    }

    public void Text(string text, double size, bool bold = false, XColor? color = null)
    {
        var font = new XFont(CjkFontResolver.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
        _ = G;
        foreach (var line in Wrap(text, font, Width))
        {
            var height = size * 1.45;
            Ensure(height);
            G.DrawString(line, font, new XSolidBrush(color ?? XColors.Black), new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
            _y += height;
        }
    }

    public void Image(ChartImage chart)
    {
        using var stream = new MemoryStream(chart.Png);
        using var image = XImage.FromStream(stream);
        _ = G;
        var width = Width;
        var height = width * chart.Height / chart.Width;
        Ensure(height + 6);
        G.DrawImage(image, Margin, _y, width, height);
        _y += height + 6;
    }

    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, bool numeric)
    {
        var font = new XFont(CjkFontResolver.Family, 8.5, XFontStyleEx.Regular);
        var headFont = new XFont(CjkFontResolver.Family, 8.5, XFontStyleEx.Bold);
        _ = G;
        var widths = ColumnWidths(header, rows, font, headFont);
        DrawRow(header, widths, headFont, isHeader: true, numeric);
        foreach (var row in rows)
        {
            var height = RowHeight(row, widths, font);
            if (_y + height > Bottom)
            {
                NewPage();
                DrawRow(header, widths, headFont, isHeader: true, numeric); // the header repeats on every page the table reaches
            }

            DrawRow(row, widths, font, isHeader: false, numeric);
        }
    }

    private double[] ColumnWidths(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, XFont font, XFont headFont)
    {
        var natural = header.Select((h, i) => Math.Max(G.MeasureString(h, headFont).Width, rows.Select(r => i < r.Count ? G.MeasureString(r[i], font).Width : 0).DefaultIfEmpty(0).Max()) + (2 * RowPadding) + 2).ToArray();
        var total = natural.Sum();
        if (total <= Width)
        {
            return [.. natural.Select(w => w * Width / total)];
        }

        // Too wide: every column keeps at least its header's width share; the widest give way and wrap.
        var floor = Width / natural.Length * 0.6;
        var capped = natural.Select(w => Math.Max(floor, Math.Min(w, Width / 2))).ToArray();
        return [.. capped.Select(w => w * Width / capped.Sum())];
    }

    private double RowHeight(IReadOnlyList<string> cells, double[] widths, XFont font) =>
        (cells.Select((c, i) => Wrap(c, font, widths[i] - (2 * RowPadding)).Count).DefaultIfEmpty(1).Max() * font.Size * 1.3) + (2 * RowPadding);

    private void DrawRow(IReadOnlyList<string> cells, double[] widths, XFont font, bool isHeader, bool numeric)
    {
        var height = RowHeight(cells, widths, font);
        Ensure(height);
        var x = Margin;
        var pen = new XPen(XColors.LightGray, 0.5);
        for (var i = 0; i < widths.Length; i++)
        {
            var rect = new XRect(x, _y, widths[i], height);
            if (isHeader)
            {
                G.DrawRectangle(new XSolidBrush(XColor.FromArgb(240, 244, 248)), rect);
            }

            G.DrawRectangle(pen, rect);
            var lines = Wrap(i < cells.Count ? cells[i] : "", font, widths[i] - (2 * RowPadding));
            var lineY = _y + RowPadding;
            foreach (var line in lines)
            {
                var format = numeric && !isHeader && i > 0 && HtmlReport.LooksNumeric(cells[i]) ? XStringFormats.TopRight : XStringFormats.TopLeft;
                G.DrawString(line, font, XBrushes.Black, new XRect(x + RowPadding, lineY, widths[i] - (2 * RowPadding), font.Size * 1.3), format);
                lineY += font.Size * 1.3;
            }

            x += widths[i];
        }

        _y += height;
    }

    private List<string> Wrap(string text, XFont font, double width) => LineBreaks.Wrap(text, width, s => G.MeasureString(s, font).Width);

    private void Ensure(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    private XGraphics NewPage()
    {
        _graphics?.Dispose();
        _page = document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _graphics = XGraphics.FromPdfPage(_page);
        _y = Margin;
        return _graphics;
    }

    /// <summary>Numbers every page once all are laid out: "第 x 页，共 y 页".</summary>
    public void Finish(string pageFormat)
    {
        _graphics?.Dispose();
        _graphics = null;
        var font = new XFont(CjkFontResolver.Family, 8, XFontStyleEx.Regular);
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            g.DrawString(string.Format(System.Globalization.CultureInfo.InvariantCulture, pageFormat, i + 1, document.PageCount), font, XBrushes.DimGray,
                new XRect(0, page.Height.Point - Margin + 6, page.Width.Point, 12), XStringFormats.TopCenter);
        }
    }
}

/// <summary>Breaking a text into lines of a width. Pure: the width of a string is the caller's measure.</summary>
internal static class LineBreaks
{
    /// <summary>Lines that fit the width: Chinese breaks between any two characters, Latin text at spaces where it can.</summary>
    public static List<string> Wrap(string text, double width, Func<string, double> measure)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var ch in text)
        {
            var candidate = current + ch;
            if (current.Length > 0 && measure(candidate) > width)
            {
                var space = current.LastIndexOf(' ');
                if (ch != ' ' && space > 0 && current[..space].All(c => c < 0x2E80))
                {
                    lines.Add(current[..space]);
                    current = current[(space + 1)..] + ch;
                }
                else
                {
                    lines.Add(current);
                    current = ch == ' ' ? "" : ch.ToString();
                }
            }
            else
            {
                current = candidate;
            }
        }

        lines.Add(current);
        return lines;
    }
}
