using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using EnergyMonitor.Analytics.Rollups;
using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Web.Pages;

/// <summary>
/// Draws an energy flow as a Sankey diagram in SVG on the server: four columns (region, institutions, buildings,
/// items), node heights and link widths to one scale, links coloured by institution. No script and no library: the
/// page works under the console's content policy and without a CDN, and the table beside it says the same in words.
/// </summary>
public static class SankeySvg
{
    private const double Width = 1100;
    private const double NodeWidth = 14;
    private const double Gap = 6;
    private const double MinPitch = 13;
    private static readonly double[] Columns = [10, 290, 570, 850];
    private static readonly string[] Palette = ["#2b6cb0", "#dd6b20", "#2f855a", "#805ad5", "#c53030", "#b7791f", "#319795", "#d53f8c"];

    // Every label is text from the site file: encoded for an SVG text node and attribute alike.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Render(EnergyFlowGraph graph, Language language, string unit, string title)
    {
        var byLevel = new List<List<FlowNode>>();
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var l = 0; l < 4; l++)
        {
            byLevel.Add(Order(graph, l, rank));
            for (var i = 0; i < byLevel[l].Count; i++)
            {
                rank[byLevel[l][i].Id] = i;
            }
        }

        // One scale for every column, so that a link is as wide at both ends; a node gets at least a label's height
        // of room, so that small items' names do not run into each other.
        const double Drawn = 520;
        var scale = byLevel.Where(l => l.Count > 0).Select(l => Drawn / Math.Max(1e-9, l.Sum(n => n.Value))).DefaultIfEmpty(1).Min();
        var y = new Dictionary<string, double>(StringComparer.Ordinal);
        var bottom = 0.0;
        foreach (var column in byLevel)
        {
            var top = 20.0;
            foreach (var node in column)
            {
                y[node.Id] = top;
                top += Math.Max(node.Value * scale, MinPitch) + Gap;
            }

            bottom = Math.Max(bottom, top);
        }

        var height = Math.Ceiling(bottom + 12);

        var colour = new Dictionary<string, string>(StringComparer.Ordinal);
        var institutions = byLevel[1];
        for (var i = 0; i < institutions.Count; i++)
        {
            colour[institutions[i].Id] = Palette[i % Palette.Length];
        }

        string ColourOf(string id) => graph.Links.FirstOrDefault(l => l.To == id) is { } into ? (colour.TryGetValue(into.From, out var c) ? c : ColourOf(into.From)) : colour.GetValueOrDefault(id, "#718096");

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"sankey\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"sankey-title\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"sankey-title\">{Encoder.Encode(title)}</title>");
        var outOffset = new Dictionary<string, double>(StringComparer.Ordinal);
        var inOffset = new Dictionary<string, double>(StringComparer.Ordinal);
        var level = graph.Nodes.ToDictionary(n => n.Id, n => n.Level, StringComparer.Ordinal);
        var names = graph.Nodes.ToDictionary(n => n.Id, n => n.Name.In(language), StringComparer.Ordinal);
        foreach (var link in graph.Links.OrderBy(l => y.GetValueOrDefault(l.To)))
        {
            var h = link.Value * scale;
            var x0 = Columns[level[link.From]] + NodeWidth;
            var x1 = Columns[level[link.To]];
            var y0 = y[link.From] + outOffset.GetValueOrDefault(link.From);
            var y1 = y[link.To] + inOffset.GetValueOrDefault(link.To);
            outOffset[link.From] = outOffset.GetValueOrDefault(link.From) + h;
            inOffset[link.To] = inOffset.GetValueOrDefault(link.To) + h;
            var xm = (x0 + x1) / 2;
            svg.Append(CultureInfo.InvariantCulture,
                $"<path class=\"link\" d=\"M{x0:0.#},{y0:0.#} C{xm:0.#},{y0:0.#} {xm:0.#},{y1:0.#} {x1:0.#},{y1:0.#} L{x1:0.#},{y1 + h:0.#} C{xm:0.#},{y1 + h:0.#} {xm:0.#},{y0 + h:0.#} {x0:0.#},{y0 + h:0.#} Z\" fill=\"{ColourOf(link.To)}\" fill-opacity=\"0.35\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Encoder.Encode(names[link.From])} → {Encoder.Encode(names[link.To])}: {link.Value:N0} {Encoder.Encode(unit)}</title></path>");
        }

        foreach (var node in graph.Nodes.Where(n => y.ContainsKey(n.Id)))
        {
            var x = Columns[node.Level];
            var h = Math.Max(1, node.Value * scale);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"node\"><rect x=\"{x:0.#}\" y=\"{y[node.Id]:0.#}\" width=\"{NodeWidth}\" height=\"{h:0.#}\" fill=\"{ColourOf(node.Id)}\"><title>{Encoder.Encode(names[node.Id])}: {node.Value:N0} {Encoder.Encode(unit)}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + NodeWidth + 4:0.#}\" y=\"{y[node.Id] + (h / 2) + 4:0.#}\">{Encoder.Encode(Clip(names[node.Id]))} <tspan class=\"value\">{node.Value:N0}</tspan></text></g>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>A level's nodes top to bottom: each under its parent's position, the larger first, so that links cross little.</summary>
    private static List<FlowNode> Order(EnergyFlowGraph graph, int level, Dictionary<string, int> rank)
    {
        int ParentRank(FlowNode n) => graph.Links.FirstOrDefault(l => l.To == n.Id) is { } l ? rank.GetValueOrDefault(l.From) : 0;
        return [.. graph.Nodes.Where(n => n.Level == level && n.Value > 0).OrderBy(ParentRank).ThenByDescending(n => n.Value)];
    }

    private static string Clip(string name) => name.Length <= 22 ? name : name[..21] + "…";
}
