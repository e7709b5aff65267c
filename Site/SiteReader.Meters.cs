using System.Globalization;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Site;

public static partial class SiteConfigLoader
{
    /// <summary>Meters and virtual meters: kind, item code, unit, transformer ratios, counter rules, replacements.</summary>
    private sealed partial class SiteReader
    {
        private VirtualMeter? ReadVirtualMeter(YamlMap map)
        {
            var id = Id(map, "meter");
            var name = map.String("name");
            var kindText = map.String("kind", expected: $"an energy kind: {KindNames}");
            EnergyKind? kind = kindText is null ? null : EnergyKinds.TryParse(kindText, out var k) ? k : Invalid<EnergyKind>(map, "kind", kindText, $"an energy kind: {KindNames}");
            var item = ReadItemCode(map, kind);
            var text = map.String("formula", expected: "a formula over meter ids, e.g. main - children(main)");
            VirtualFormula? formula = null;
            if (text is not null)
            {
                formula = VirtualFormula.Parse(text, out var error);
                if (formula is null)
                {
                    map.Error("formula", $"\"{text}\": {error}", "meter ids and children(id), each with an optional factor (0.5*id), joined by + and -");
                }
                else
                {
                    _formulas.Add((formula, map));
                }
            }

            map.Finish();
            return id is null || name is null || kind is null || formula is null ? null : new VirtualMeter(new MeterId(id), name, kind.Value, item, formula);
        }

        private readonly List<(VirtualFormula Formula, YamlMap Map)> _formulas = [];

        private const string ClimateZones = "severe-cold, cold, hot-summer-cold-winter, hot-summer-warm-winter or mild";

        private Meter? ReadMeter(YamlMap map)
        {
            var id = Id(map, "meter");
            if (id is not null)
            {
                _declaredMeters.Add(id);
            }
            var name = map.String("name");
            var kindText = map.String("kind", expected: $"an energy kind: {KindNames}");
            EnergyKind? kind = null;
            if (kindText is not null)
            {
                kind = EnergyKinds.TryParse(kindText, out var k) ? k : Invalid<EnergyKind>(map, "kind", kindText, $"an energy kind: {KindNames}");
            }

            // A temperature sensor measures no energy, so it has no 分类/分项 code and joins no consumption series.
            var gauge = kind == EnergyKind.Temperature;
            var item = gauge ? null : ReadItemCode(map, kind);
            if (gauge && map.Raw("item") is not null)
            {
                map.Error("item", map.String("item", required: false) ?? "", "no item code on a temperature meter: it measures no energy");
            }

            var unit = ReadUnit(map, kind);
            var multiplier = map.Map("multiplier", required: false) is { } m ? ReadMultiplier(m) : Multiplier.One;
            var mode = map.String("mode", required: false, expected: "cumulative or interval") switch
            {
                null or "cumulative" => ReadingMode.Cumulative,
                "interval" => ReadingMode.Interval,
                var other => Invalid<ReadingMode>(map, "mode", other, "cumulative (a running counter) or interval (use since the last report)"),
            };
            var minutes = map.Integer("intervalMinutes", false, 5, 1440, "an interval from 5 to 1440 minutes that divides a day, e.g. 15") ?? 15;
            if (1440 % minutes != 0)
            {
                map.Error("intervalMinutes", $"{minutes}", "an interval that divides a day evenly, e.g. 5, 15, 30, 60");
            }

            var rollover = map.Number("rolloverAt", false, v => v > 0, "the counter value at which the meter wraps to zero, greater than 0");
            var maxPerHour = map.Number("maxPerHour", false, v => v > 0, "the physical maximum use per hour in the kind's unit (kW for electricity), greater than 0");
            var parentText = map.String("parent", required: false, expected: "the id of another meter");
            var replacements = ReadReplacements(map);
            var source = ReadSource(map, kind);
            map.Finish();

            if (id is null || name is null || kind is null || (item is null && !gauge) || unit is null || multiplier is null || mode is null || source is null)
            {
                return null;
            }

            var meter = new Meter(new MeterId(id), name, kind.Value, item, unit, multiplier.Value, mode.Value,
                TimeSpan.FromMinutes(minutes), rollover, maxPerHour, parentText is null ? null : new MeterId(parentText), replacements, source);
            _meters.Add((meter, map));
            return meter;
        }

        private static string KindNames => string.Join(", ", EnergyKinds.All.Select(EnergyKinds.ConfigName));

        private static ItemCode? ReadItemCode(YamlMap map, EnergyKind? kind)
        {
            var code = map.String("item", required: false, expected: "a 分类/分项 item code such as 01A10");
            if (code is null)
            {
                // Fuels carried by vehicles or boilers have no code in the building scheme; they report under their kind.
                return kind switch
                {
                    EnergyKind.Electricity => Find("01000"),
                    EnergyKind.Water => Find("02000"),
                    EnergyKind.NaturalGas => Find("03A00"),
                    EnergyKind.Heat => Find("04000"),
                    EnergyKind.Cooling => Find("05000"),
                    _ => new ItemCode("00000", "其他能源", "Other energy", kind ?? EnergyKind.Coal),
                };
            }

            if (!ItemCodes.TryFind(code, out var item))
            {
                map.Error("item", $"\"{code}\"", "a 分类/分项 code of docs/DOMAIN.md#energy-categories-and-sub-items, e.g. 01000, 01A10, 01B00, 02000, 03A00, 04000");
                return null;
            }

            if (kind is not null && item.Kind != kind)
            {
                map.Error("item", $"\"{code}\" ({item.NameEn}, a {EnergyKinds.ConfigName(item.Kind)} code)", $"a code of kind {EnergyKinds.ConfigName(kind.Value)}");
                return null;
            }

            return item;

            static ItemCode Find(string c) => ItemCodes.TryFind(c, out var i) ? i : throw new InvalidOperationException(c);
        }

        private static UnitInfo? ReadUnit(YamlMap map, EnergyKind? kind)
        {
            var text = map.String("unit", required: false, expected: $"a unit symbol: {UnitCatalog.KnownSymbols}");
            if (kind is null)
            {
                return null;
            }

            var canonical = EnergyKinds.CanonicalUnit(kind.Value);
            if (text is null)
            {
                return canonical;
            }

            if (!UnitCatalog.TryParse(text, out var unit))
            {
                map.Error("unit", $"\"{text}\"", $"a unit symbol: {UnitCatalog.KnownSymbols}");
                return null;
            }

            if (unit.Dimension != canonical.Dimension)
            {
                map.Error("unit", $"\"{text}\" (a unit of {unit.Dimension.ToString().ToLowerInvariant()})",
                    $"a unit of {canonical.Dimension.ToString().ToLowerInvariant()} for a {EnergyKinds.ConfigName(kind.Value)} meter, e.g. {canonical.Symbol}");
                return null;
            }

            return unit;
        }

        private static Multiplier? ReadMultiplier(YamlMap map)
        {
            var ct = Ratio(map, "ct");
            var pt = Ratio(map, "pt");
            map.Finish();
            return ct is null || pt is null ? null : new Multiplier(ct.Value, pt.Value);
        }

        /// <summary>A transformer ratio as a number (40) or as the nameplate writes it ("200/5").</summary>
        private static double? Ratio(YamlMap map, string key)
        {
            const string expected = "a transformer ratio greater than 0, as a number (40) or as on the nameplate (\"200/5\")";
            var node = map.Raw(key);
            if (node is null)
            {
                return 1;
            }

            if (node is YamlScalarNode { Value: { } text })
            {
                var parts = text.Split('/', StringSplitOptions.TrimEntries);
                var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
                if (values.All(v => double.IsFinite(v) && v > 0) && values.Length is 1 or 2)
                {
                    return values.Length == 1 ? values[0] : values[0] / values[1];
                }
            }

            map.Error(key, YamlMap.Describe(node), expected);
            return null;
        }

        private List<MeterReplacement> ReadReplacements(YamlMap meter)
        {
            var result = new List<MeterReplacement>();
            foreach (var map in meter.MapList("replacements", required: false))
            {
                var at = Instant(map, "at");
                var oldFinal = map.Number("oldFinalReading", true, v => v >= 0, "the old meter's last counter value, 0 or more");
                var newInitial = map.Number("newInitialReading", true, v => v >= 0, "the new meter's first counter value, 0 or more");
                var note = map.String("note", required: false);
                map.Finish();
                if (at is not null && result.Count > 0 && at <= result[^1].At)
                {
                    map.Error("at", $"{at:yyyy-MM-dd HH:mm}", $"a time after the previous replacement ({result[^1].At:yyyy-MM-dd HH:mm}); list replacements oldest first");
                    continue;
                }

                if (at is not null && oldFinal is not null && newInitial is not null)
                {
                    result.Add(new MeterReplacement(at.Value, oldFinal.Value, newInitial.Value, note));
                }
            }

            return result;
        }

        private DateTimeOffset? Instant(YamlMap map, string key)
        {
            const string expected = "a date and time that exists and is not in the future: 2025-06-12T10:30:00+08:00, or 2025-06-12 10:30 in the site's zone";
            var text = map.String(key, expected: expected);
            if (text is null)
            {
                return null;
            }

            DateTimeOffset? value = null;
            if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm:ssZ"],
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            {
                value = withOffset;
            }
            else if (DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"],
                         CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                value = new DateTimeOffset(local, _zone.GetUtcOffset(local));
            }

            if (value is null || value.Value.Year < 2000 || value.Value > now)
            {
                map.Error(key, $"\"{text}\"", expected);
                return null;
            }

            return value;
        }
    }
}
