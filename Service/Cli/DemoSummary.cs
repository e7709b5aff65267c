using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using Spectre.Console;

namespace EnergyMonitor.Service.Cli;

/// <summary>The demo's closing table: per meter, what the store holds and what the simulation used.</summary>
internal static class DemoSummary
{
    public static void Print(
        SiteModel site,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyDictionary<MeterId, long> stored,
        IReadOnlyDictionary<MeterId, Reading> last,
        IReadOnlyDictionary<MeterId, double> used)
    {
        var local = (DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, site.TimeZone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var table = new Table().Expand()
            .Title($"{Markup.Escape(site.Name)}  {local(from)} – {local(to)}")
            .AddColumns("Meter", "Kind", "Item", "Readings", "Last counter", "Use", "Unit");
        foreach (var column in table.Columns.Skip(3).Take(3))
        {
            column.RightAligned();
        }

        foreach (var institution in site.Institutions)
        {
            foreach (var building in institution.Buildings)
            {
                table.AddRow(new Markup($"[bold]{Markup.Escape(building.Name)}[/] [grey]{building.Code}[/]"));
                foreach (var meter in building.Meters)
                {
                    var indent = meter.Parent is null ? "" : "  └ ";
                    table.AddRow(
                        Markup.Escape(indent + meter.Id.Value),
                        EnergyKinds.ConfigName(meter.Kind),
                        meter.Item?.Code ?? "",
                        stored.GetValueOrDefault(meter.Id).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                        last.TryGetValue(meter.Id, out var l) ? l.Value.ToString("N1", System.Globalization.CultureInfo.InvariantCulture) : "–",
                        meter.IsGauge ? "" : used.GetValueOrDefault(meter.Id).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                        meter.CanonicalUnit.Symbol);
                }
            }
        }

        if (Console.IsOutputRedirected && AnsiConsole.Profile.Width < 120)
        {
            // Piped into a file or CI log: there is no terminal to fit, so do not wrap ids and numbers.
            AnsiConsole.Profile.Width = 120;
        }

        AnsiConsole.Write(table);
        var totals = site.Meters.Where(m => m.Parent is null && !m.IsGauge)
            .GroupBy(m => (m.Kind, m.CanonicalUnit.Symbol))
            .Select(g => $"{EnergyKinds.ConfigName(g.Key.Kind)} {g.Sum(m => used.GetValueOrDefault(m.Id)):N0} {g.Key.Symbol}");
        AnsiConsole.MarkupLine($"Site use by kind (top-level meters): {Markup.Escape(string.Join("; ", totals))}");
    }
}
