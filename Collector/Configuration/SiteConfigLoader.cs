using System.Globalization;
using System.Text.RegularExpressions;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EnergyMonitor.Collector.Configuration;

/// <summary>The outcome of loading a site file: the model when there were no errors, and every error otherwise.</summary>
public sealed record SiteLoadResult(SiteModel? Site, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public SiteModel Require() => Site ?? throw new ConfigException(Errors);
}

/// <summary>
/// Reads <c>site.yaml</c> into the domain model. The structure is checked field by field (types, ranges, unknown
/// keys), then the whole site (unique ids, parent meters, cycles, gateway references); all errors are reported.
/// </summary>
public static partial class SiteConfigLoader
{
    /// <param name="templateUnits">The counting unit of each known Modbus template; null skips the template checks.</param>
    public static SiteLoadResult Load(string path, DateTimeOffset now, IReadOnlyDictionary<string, UnitInfo>? templateUnits = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SiteLoadResult(null, [new ConfigError(path, 0, 0, "(file)", e.Message, "a readable site file")]);
        }

        return LoadText(text, path, now, templateUnits);
    }

    public static SiteLoadResult LoadText(string yaml, string fileName, DateTimeOffset now, IReadOnlyDictionary<string, UnitInfo>? templateUnits = null)
    {
        var errors = new ErrorSink(fileName);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            // A syntax error hides everything after it, so it is the one error we can report.
            errors.Add(e.Start, "(syntax)", e.InnerException?.Message ?? e.Message, "well-formed YAML");
            return new SiteLoadResult(null, errors.Errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some unterminated flow collections.
            errors.Add(parser.Current?.Start ?? Mark.Empty, "(syntax)", "an unterminated [ ] or { } collection", "well-formed YAML");
            return new SiteLoadResult(null, errors.Errors);
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(Mark.Empty, "(document)", $"{stream.Documents.Count} YAML documents", "exactly one document");
            return new SiteLoadResult(null, errors.Errors);
        }

        var root = YamlMap.From(stream.Documents[0].RootNode, "", errors);
        if (root is null)
        {
            return new SiteLoadResult(null, errors.Errors);
        }

        var site = new SiteReader(errors, now, templateUnits).ReadSite(root);
        return errors.Errors.Count == 0 ? new SiteLoadResult(site, []) : new SiteLoadResult(null, errors.Errors);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    internal static partial Regex IdPattern();

    private sealed class SiteReader(ErrorSink errors, DateTimeOffset now, IReadOnlyDictionary<string, UnitInfo>? templateUnits)
    {
        private const string IdExpectation = "an id of letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters";

        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);
        private readonly List<(Meter Meter, YamlMap Map)> _meters = [];

        // Ids are recorded as soon as they are read, so that one defect in a meter or gateway does not
        // cascade into "unknown parent" or "unknown gateway" errors everywhere it is referenced.
        private readonly HashSet<string> _declaredMeters = new(StringComparer.Ordinal);
        private readonly HashSet<string> _declaredGateways = new(StringComparer.Ordinal);
        private TimeZoneInfo _zone = TimeZoneInfo.Utc;
        private string _regionCode = "";

        public SiteModel? ReadSite(YamlMap root)
        {
            var name = root.String("name");
            var region = root.Map("region") is { } r ? ReadRegion(r) : null;
            var gateways = root.MapList("gateways", required: false).Select(ReadGateway).OfType<Gateway>().ToList();
            var institutions = root.MapList("institutions").Select(ReadInstitution).OfType<Institution>().ToList();
            root.Finish();
            if (root.Has("institutions") && institutions.Count == 0 && root.List("institutions").Count == 0)
            {
                root.Error("institutions", "an empty list", "at least one institution");
            }

            CheckMeterReferences();
            return name is null || region is null ? null : new SiteModel(name, region, gateways, institutions);
        }

        private Region? ReadRegion(YamlMap map)
        {
            var code = map.String("code", expected: "a 6-digit administrative division code (GB/T 2260), e.g. \"320115\"");
            var name = map.String("name");
            var zoneId = map.String("timeZone", required: false, expected: "an IANA time zone id, e.g. Asia/Shanghai") ?? "Asia/Shanghai";
            map.Finish();
            if (code is not null && !Codes.IsValidRegionCode(code))
            {
                map.Error("code", $"\"{code}\"", "a 6-digit administrative division code (GB/T 2260), e.g. \"320115\"");
                code = null;
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
            {
                map.Error("timeZone", $"\"{zoneId}\"", "an IANA time zone id known to this machine, e.g. Asia/Shanghai");
                return null;
            }

            _zone = zone;
            _regionCode = code ?? "";
            return code is null || name is null ? null : new Region(code, name, zone);
        }

        private Gateway? ReadGateway(YamlMap map)
        {
            var id = Id(map, "gateway");
            if (id is not null)
            {
                _declaredGateways.Add(id);
            }
            var transport = map.String("transport", expected: "tcp or rtu-over-tcp") switch
            {
                null => (GatewayTransport?)null,
                "tcp" => GatewayTransport.Tcp,
                "rtu-over-tcp" => GatewayTransport.RtuOverTcp,
                var other => Invalid<GatewayTransport>(map, "transport", other, "tcp or rtu-over-tcp"),
            };
            var host = map.String("host", expected: "a host name or IP address");
            var port = map.Integer("port", required: false, 1, 65535) ?? 502;
            var defaults = GatewayQuirks.Default;
            var quirks = new GatewayQuirks(
                TimeSpan.FromMilliseconds(map.Integer("responseTimeoutMs", false, 50, 30_000) ?? (int)defaults.ResponseTimeout.TotalMilliseconds),
                TimeSpan.FromMilliseconds(map.Integer("pauseAfterConnectMs", false, 0, 10_000) ?? 0),
                TimeSpan.FromMilliseconds(map.Integer("pauseBetweenRequestsMs", false, 0, 10_000) ?? 0),
                map.String("closeAfterPoll", required: false, expected: "true or false") switch
                {
                    null or "false" => false,
                    "true" => true,
                    var other => Invalid<bool>(map, "closeAfterPoll", other, "true or false") ?? false,
                },
                map.Integer("maxRegistersPerRequest", false, 1, 125) ?? defaults.MaxRegistersPerRequest);
            map.Finish();
            return id is null || transport is null || host is null ? null : new Gateway(id, transport.Value, host, port, quirks);
        }

        private Institution? ReadInstitution(YamlMap map)
        {
            var id = Id(map, "institution");
            var name = map.String("name");
            var creditCode = map.String("creditCode", expected: "an 18-character unified social credit code (GB 32100-2015)");
            if (creditCode is not null && !Codes.IsValidCreditCode(creditCode))
            {
                var check = creditCode.Length == 18 ? Codes.CreditCodeCheckCharacter(creditCode.AsSpan(0, 17)) : null;
                map.Error("creditCode", $"\"{creditCode}\"", check is null
                    ? "18 characters from 0-9 and A-Y without I, O, S, V, Z (GB 32100-2015)"
                    : $"a valid check character: the last character should be '{check}' (GB 32100-2015)");
                creditCode = null;
            }

            var nature = map.String("nature", expected: $"a 单位性质 code: {string.Join(", ", InstitutionNature.Codes.Keys)}");
            if (nature is not null && !InstitutionNature.Codes.ContainsKey(nature))
            {
                map.Error("nature", $"\"{nature}\"", $"a 单位性质 code: {string.Join(", ", InstitutionNature.Codes.Keys)}");
                nature = null;
            }

            var facts = ReadFacts(map);
            var targets = map.Map("targets", required: false) is { } t ? ReadTargets(t) : null;
            var buildings = map.MapList("buildings").Select(ReadBuilding).OfType<Building>().ToList();
            map.Finish();
            return id is null || name is null || creditCode is null || nature is null
                ? null
                : new Institution(id, name, creditCode, nature, facts, targets, buildings);
        }

        private List<YearFacts> ReadFacts(YamlMap institution)
        {
            var facts = new List<YearFacts>();
            var years = new HashSet<int>();
            foreach (var map in institution.MapList("facts", required: false))
            {
                var year = map.Integer("year", required: true, 2000, now.Year, $"a calendar year from 2000 to {now.Year}");
                var area = map.Number("floorArea", true, v => v > 0, "a floor area in m², greater than 0");
                var occupants = map.Integer("occupants", true, 1, 1_000_000, "a number of occupants (用能人数) from 1 to 1,000,000");
                var staff = map.Integer("staffEstablishment", false, 0, 1_000_000) ?? 0;
                var vehicles = map.Integer("vehicles", false, 0, 100_000) ?? 0;
                map.Finish();
                if (year is { } y && !years.Add(y))
                {
                    map.Error("year", $"{y} a second time", "each year at most once");
                    continue;
                }

                if (year is not null && area is not null && occupants is not null)
                {
                    facts.Add(new YearFacts(year.Value, new Quantity<SquareMetre>(area.Value), occupants.Value, staff, vehicles));
                }
            }

            return facts.OrderBy(f => f.Year).ToList();
        }

        private static Targets? ReadTargets(YamlMap map)
        {
            const string percent = "a change in percent from -100 to 100, e.g. -5";
            var baseYear = map.Integer("baseYear", true, 2000, 2100);
            var targetYear = map.Integer("targetYear", true, 2000, 2100);
            var perArea = map.Number("energyPerAreaPercent", false, v => v is >= -100 and <= 100, percent) ?? -5;
            var perPerson = map.Number("energyPerPersonPercent", false, v => v is >= -100 and <= 100, percent) ?? -6;
            var water = map.Number("waterPerPersonPercent", false, v => v is >= -100 and <= 100, percent) ?? -6;
            var co2 = map.Number("co2PerAreaPercent", false, v => v is >= -100 and <= 100, percent) ?? -7;
            var quota = map.Number("annualEnergyQuotaKgce", false, v => v > 0, "an annual quota (定额) in kgce, greater than 0");
            map.Finish();
            if (baseYear is not null && targetYear is not null && targetYear <= baseYear)
            {
                map.Error("targetYear", $"{targetYear}", $"a year after the base year {baseYear}");
                return null;
            }

            return baseYear is null || targetYear is null
                ? null
                : new Targets(baseYear.Value, targetYear.Value, perArea / 100, perPerson / 100, water / 100, co2 / 100,
                    quota is { } q ? new Quantity<Kgce>(q) : null);
        }

        private Building? ReadBuilding(YamlMap map)
        {
            var id = Id(map, "building");
            var code = map.String("code", expected: "a 10-character building code, e.g. 320115A001");
            if (code is not null)
            {
                if (!Codes.IsValidBuildingCode(code))
                {
                    map.Error("code", $"\"{code}\"", "a 10-character building code: 6-digit division code, a capital letter, a 3-digit serial, e.g. 320115A001");
                    code = null;
                }
                else if (_regionCode.Length == 6 && !Codes.IsWithinRegion(code[..6], _regionCode))
                {
                    map.Error("code", $"\"{code}\" (division {code[..6]})", $"a building code inside the site's region {_regionCode}");
                    code = null;
                }
                else
                {
                    code = Unique(map, "code", "building code", code) ? code : null;
                }
            }

            var name = map.String("name");
            var area = map.Number("floorArea", true, v => v > 0, "a floor area in m², greater than 0");
            var zone = map.String("climateZone", expected: ClimateZones) switch
            {
                null => (ClimateZone?)null,
                "severe-cold" => ClimateZone.SevereCold,
                "cold" => ClimateZone.Cold,
                "hot-summer-cold-winter" => ClimateZone.HotSummerColdWinter,
                "hot-summer-warm-winter" => ClimateZone.HotSummerWarmWinter,
                "mild" => ClimateZone.Mild,
                var other => Invalid<ClimateZone>(map, "climateZone", other, ClimateZones),
            };
            var buildingClass = map.String("class", required: false, expected: "A or B") switch
            {
                null => 'A',
                "A" => 'A',
                "B" => 'B',
                var other => Invalid<char>(map, "class", other, "A (natural ventilation) or B (sealed, central air conditioning)"),
            };
            var meters = map.MapList("meters", required: false).Select(ReadMeter).OfType<Meter>().ToList();
            var virtualMeters = map.MapList("virtualMeters", required: false).Select(ReadVirtualMeter).OfType<VirtualMeter>().ToList();
            map.Finish();
            return id is null || code is null || name is null || area is null || zone is null || buildingClass is null
                ? null
                : new Building(id, code, name, new Quantity<SquareMetre>(area.Value), zone.Value, buildingClass.Value, meters) { VirtualMeters = virtualMeters };
        }

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

            var item = ReadItemCode(map, kind);
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

            if (id is null || name is null || kind is null || item is null || unit is null || multiplier is null || mode is null || source is null)
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
                map.Error("item", $"\"{code}\"", "a 分类/分项 code from REFERENCE §5, e.g. 01000, 01A10, 01B00, 02000, 03A00, 04000");
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

        private MeterSource? ReadSource(YamlMap map, EnergyKind? kind)
        {
            var hasModbus = map.Has("modbus");
            var hasMqtt = map.Has("mqtt");
            if (hasModbus && hasMqtt)
            {
                map.Error("mqtt", "both modbus and mqtt", "one source per meter: modbus, mqtt, or neither for a manually read meter");
                return null;
            }

            if (hasModbus)
            {
                if (map.Map("modbus") is not { } m)
                {
                    return null;
                }

                var gateway = m.String("gateway", expected: "the id of a gateway in the gateways list");
                var unit = m.Integer("unit", true, 1, 247, "a Modbus unit id from 1 to 247");
                var template = m.String("template", expected: "the name of a register template under config/templates/");
                if (template is not null && !IdPattern().IsMatch(template))
                {
                    m.Error("template", $"\"{template}\"", "a template name of letters, digits and '-', e.g. acrel-adl3000e");
                    template = null;
                }
                else if (template is not null && templateUnits is not null)
                {
                    if (!templateUnits.TryGetValue(template, out var counting))
                    {
                        m.Error("template", $"\"{template}\"", templateUnits.Count == 0
                            ? "a template in the templates/ folder beside the site file, but that folder has no templates"
                            : $"a template in the templates/ folder beside the site file: {string.Join(", ", templateUnits.Keys.Order(StringComparer.Ordinal))}");
                        template = null;
                    }
                    else if (kind is { } k && counting.Dimension != EnergyKinds.CanonicalUnit(k).Dimension)
                    {
                        m.Error("template", $"\"{template}\", which counts {counting.Symbol}", $"a template that counts what a {EnergyKinds.ConfigName(k)} meter measures");
                        template = null;
                    }
                }

                var fast = m.Integer("fastIntervalSeconds", false, 1, 3600, "seconds between reads of the template's fast points (power, voltage), 1 to 3600");
                m.Finish();
                return gateway is null || unit is null || template is null
                    ? null
                    : new ModbusSource(gateway, (byte)unit.Value, template, fast is { } f ? TimeSpan.FromSeconds(f) : null);
            }

            if (hasMqtt)
            {
                if (map.Map("mqtt") is not { } q)
                {
                    return null;
                }

                var topic = q.String("topic", expected: "the MQTT topic the meter publishes on");
                if (topic is not null && (topic.Length == 0 || topic.IndexOfAny(['#', '+', '{', '}']) >= 0))
                {
                    q.Error("topic", $"\"{topic}\"", "a concrete topic without wildcards; wildcard mappings belong in the MQTT settings");
                    topic = null;
                }

                var field = q.String("field", required: false, expected: "a JSON path into the payload, e.g. $.total");
                var timestamp = q.String("timestamp", required: false, expected: "a JSON path to the device's timestamp, e.g. $.ts");
                q.Finish();
                return topic is null ? null : new MqttSource(topic, field, timestamp);
            }

            return new ManualSource();
        }

        private string? Id(YamlMap map, string what)
        {
            var id = map.String("id", expected: IdExpectation);
            if (id is null)
            {
                return null;
            }

            if (!IdPattern().IsMatch(id))
            {
                map.Error("id", $"\"{id}\"", IdExpectation);
                return null;
            }

            return Unique(map, "id", what, id) ? id : null;
        }

        private bool Unique(YamlMap map, string key, string what, string value)
        {
            var token = $"{what}:{value}";
            if (_seen.TryGetValue(token, out var firstPath))
            {
                map.Error(key, $"\"{value}\", already used at {firstPath}", $"a {what} {key} unique within the site");
                return false;
            }

            _seen[token] = map.Field(key);
            return true;
        }

        private void CheckMeterReferences()
        {
            var byId = _meters.ToDictionary(m => m.Meter.Id);
            var gatewayIds = _declaredGateways;
            foreach (var (meter, map) in _meters)
            {
                if (meter.Source is ModbusSource modbus && !gatewayIds.Contains(modbus.Gateway))
                {
                    errors.Add(FindNode(map, "modbus", "gateway"), $"{map.Field("modbus")}.gateway", $"\"{modbus.Gateway}\"",
                        gatewayIds.Count == 0 ? "a gateway id, but the gateways list is empty" : $"one of the gateways: {string.Join(", ", gatewayIds.Order(StringComparer.Ordinal))}");
                }

                if (meter.Parent is not { } parentId)
                {
                    continue;
                }

                if (!_declaredMeters.Contains(parentId.Value))
                {
                    map.Error("parent", $"\"{parentId}\"", "the id of a meter defined in this site");
                }
                else if (byId.TryGetValue(parentId, out var parent) && parent.Meter.Kind != meter.Kind)
                {
                    map.Error("parent", $"\"{parentId}\" ({EnergyKinds.ConfigName(parent.Meter.Kind)})", $"a parent meter of the same kind ({EnergyKinds.ConfigName(meter.Kind)})");
                }
            }

            ReportCycles(byId);
            foreach (var (formula, map) in _formulas)
            {
                foreach (var term in formula.Terms.Where(t => !byId.ContainsKey(t.Meter)))
                {
                    map.Error("formula", $"\"{formula.Text}\" names \"{term.Meter}\"", "ids of physical meters defined in this site");
                }
            }
        }

        private void ReportCycles(Dictionary<MeterId, (Meter Meter, YamlMap Map)> byId)
        {
            var reported = new HashSet<MeterId>();
            foreach (var (meter, map) in _meters)
            {
                var path = new List<MeterId>();
                var onPath = new HashSet<MeterId>();
                for (MeterId? current = meter.Id; current is { } c && byId.TryGetValue(c, out var node); current = node.Meter.Parent)
                {
                    if (!onPath.Add(c))
                    {
                        var cycle = path.SkipWhile(p => p != c).ToList();
                        if (cycle.Any(reported.Contains))
                        {
                            break;
                        }

                        reported.UnionWith(cycle);
                        var first = byId[cycle[0]];
                        first.Map.Error("parent", $"a cycle {string.Join(" → ", cycle.Append(c))}", "a meter tree without cycles: a meter cannot feed itself");
                        break;
                    }

                    path.Add(c);
                }
            }
        }

        private static YamlNode? FindNode(YamlMap map, string key, string inner) =>
            map.Raw(key) is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(inner), out var v) ? v : map.Raw(key);

        private static T? Invalid<T>(YamlMap map, string key, string found, string expected)
            where T : struct
        {
            map.Error(key, $"\"{found}\"", expected);
            return null;
        }
    }
}
