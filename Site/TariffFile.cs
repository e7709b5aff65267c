using System.Globalization;

namespace EnergyMonitor.Site;

/// <summary>Reads config/tariffs.yaml: flat prices, or time-of-use bands whose hours cover the day exactly once.</summary>
public static class TariffFile
{
    public static (Analytics.Costs.TariffBook Book, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        var errors = new ErrorSink(path);
        if (YamlFile.Root(path, errors) is not { } root)
        {
            return (Analytics.Costs.TariffBook.Empty, errors.Errors);
        }

        var tariffs = new List<Analytics.Costs.Tariff>();
        foreach (var t in root.MapList("tariffs"))
        {
            var kindText = t.String("kind", expected: "an energy kind, e.g. electricity");
            Core.Domain.EnergyKind? kind = kindText is not null && Core.Domain.EnergyKinds.TryParse(kindText, out var k) ? k : null;
            if (kindText is not null && kind is null)
            {
                t.Error("kind", $"\"{kindText}\"", "an energy kind, e.g. electricity, water, natural-gas, heat");
            }

            var fromText = t.String("from", expected: "the first day the tariff applies, yyyy-MM-dd");
            DateOnly? from = fromText is not null && DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            if (fromText is not null && from is null)
            {
                t.Error("from", $"\"{fromText}\"", "a date, yyyy-MM-dd");
            }

            var source = t.String("source", expected: "where the price comes from");
            var price = t.Number("price", false, v => v >= 0, "元 per unit, 0 or more");
            var bands = new List<Analytics.Costs.TouBand>();
            foreach (var b in t.MapList("timeOfUse", required: false))
            {
                var name = b.String("name");
                var bandPrice = b.Number("price", true, v => v >= 0, "元 per kWh, 0 or more");
                var hours = Hours(b.String("hours", expected: "hour ranges such as \"8-11,17-22\" (end exclusive)"));
                if (hours is null)
                {
                    b.Error("hours", "", "hour ranges such as \"8-11,17-22\", each from 0 to 24, end exclusive");
                }

                b.Finish();
                if (name is not null && bandPrice is not null && hours is not null)
                {
                    bands.Add(new Analytics.Costs.TouBand(name, bandPrice.Value, hours));
                }
            }

            if (bands.Count > 0 && Enumerable.Range(0, 24).Any(h => bands.Count(b => b.Hours.Contains(h)) != 1))
            {
                t.Error("timeOfUse", $"{bands.Count} bands", "bands whose hours cover each hour of the day exactly once");
            }

            if ((price is null) == (bands.Count == 0))
            {
                t.Error("price", price is null ? "neither price nor timeOfUse" : "both price and timeOfUse", "a flat price or time-of-use bands");
            }

            t.Finish();
            if (kind is not null && from is not null && source is not null)
            {
                tariffs.Add(new Analytics.Costs.Tariff(kind.Value, from.Value, price, bands, source));
            }
        }

        root.Finish();
        return (new Analytics.Costs.TariffBook(tariffs), errors.Errors);

        static HashSet<int>? Hours(string? text)
        {
            if (text is null)
            {
                return null;
            }

            var hours = new HashSet<int>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                var ends = part.Split('-');
                if (ends.Length != 2 || !int.TryParse(ends[0], CultureInfo.InvariantCulture, out var a) || !int.TryParse(ends[1], CultureInfo.InvariantCulture, out var z) || a < 0 || z > 24 || a >= z)
                {
                    return null;
                }

                hours.UnionWith(Enumerable.Range(a, z - a));
            }

            return hours;
        }
    }
}
