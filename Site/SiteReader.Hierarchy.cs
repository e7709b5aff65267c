using EnergyMonitor.Core.Site;
using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Site;

public static partial class SiteConfigLoader
{
    /// <summary>The region, its gateways, institutions with their yearly facts and targets, and buildings.</summary>
    private sealed partial class SiteReader
    {
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

        private static readonly string[] SerialKeys = ["baudRate", "parity", "stopBits"];

        private Gateway? ReadGateway(YamlMap map)
        {
            var id = Id(map, "gateway");
            if (id is not null)
            {
                _declaredGateways.Add(id);
            }
            const string transports = "tcp (Modbus TCP), rtu-over-tcp or transparent (a transparent serial-to-Ethernet gateway), or serial (a local port)";
            var transport = map.String("transport", expected: transports) switch
            {
                null => (GatewayTransport?)null,
                "tcp" => GatewayTransport.Tcp,
                "rtu-over-tcp" or "transparent" => GatewayTransport.RtuOverTcp,
                "serial" => GatewayTransport.Serial,
                var other => Invalid<GatewayTransport>(map, "transport", other, transports),
            };
            var serial = transport == GatewayTransport.Serial;
            var host = serial
                ? map.String("port", expected: "the serial port's device, e.g. /dev/ttyUSB0 or COM3")
                : map.String("host", expected: "a host name or IP address");
            var port = serial ? 0 : map.Integer("port", required: false, 1, 65535) ?? 502;
            var settings = serial ? ReadSerialSettings(map) : default;
            if (!serial)
            {
                foreach (var key in SerialKeys.Where(map.Has))
                {
                    map.Error(key, "a serial setting", "serial settings only with transport: serial; a gateway's own settings are made in the gateway");
                }
            }

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
            return id is null || transport is null || host is null ? null : new Gateway(id, transport.Value, host, port, quirks) { Serial = settings };
        }

        /// <summary>Baud rate, parity and stop bits of a local port; what is left out follows the line's protocol when polled.</summary>
        private static (int?, SerialParity?, int?) ReadSerialSettings(YamlMap map)
        {
            var baud = map.Integer("baudRate", false, 300, 115_200, "a baud rate: 1200, 2400, 4800, 9600 … (DL/T 645 meters default to 2400)");
            var parity = map.String("parity", required: false, expected: "none, even or odd") switch
            {
                null => (SerialParity?)null,
                "none" => SerialParity.None,
                "even" => SerialParity.Even,
                "odd" => SerialParity.Odd,
                var other => Invalid<SerialParity>(map, "parity", other, "none, even or odd"),
            };
            var stopBits = map.Integer("stopBits", false, 1, 2, "1 or 2");
            return (baud, parity, stopBits);
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

            var department = map.String("department", required: false, expected: "the 主管部门 the institution reports through, for the 部门汇总, e.g. 区教育局");
            var facts = ReadFacts(map);
            var targets = map.Map("targets", required: false) is { } t ? ReadTargets(t) : null;
            var buildings = map.MapList("buildings").Select(ReadBuilding).OfType<Building>().ToList();
            map.Finish();
            return id is null || name is null || creditCode is null || nature is null
                ? null
                : new Institution(id, name, creditCode, nature, facts, targets, buildings) { Department = department };
        }

        private List<YearFacts> ReadFacts(YamlMap institution)
        {
            var facts = new List<YearFacts>();
            var years = new HashSet<int>();
            foreach (var map in institution.MapList("facts", required: false))
            {
                // The newest year that has begun anywhere (UTC+14): at 00:05 on 1 January in Asia/Shanghai it is still
                // the old year in UTC, and the new year's facts were refused as a future year.
                var newest = now.ToOffset(TimeSpan.FromHours(14)).Year;
                var year = map.Integer("year", required: true, 2000, newest, $"a calendar year from 2000 to {newest}");
                var area = map.Number("floorArea", true, v => v > 0, "a floor area in m², greater than 0");
                var occupants = map.Integer("occupants", true, 1, 1_000_000, "a number of occupants (用能人数) from 1 to 1,000,000");
                var staff = map.Integer("staffEstablishment", false, 0, 1_000_000) ?? 0;
                var vehicles = map.Integer("vehicles", false, 0, 100_000) ?? 0;
                var reportedEnergy = map.Number("energyKgce", false, v => v >= 0, "the year's 综合能耗 in kgce as reported in its statistics, 0 or more");
                var reportedWater = map.Number("waterM3", false, v => v >= 0, "the year's water use in m³ as reported in its statistics, 0 or more");
                var heatedArea = map.Number("heatedArea", false, v => v >= 0, "the heated floor area in m² (采暖面积), 0 or more");
                VehicleCounts? byFuel = null;
                if (map.Map("vehiclesByFuel", required: false) is { } fuels)
                {
                    int Count(string key) => fuels.Integer(key, false, 0, 100_000) ?? 0;
                    byFuel = new VehicleCounts(Count("gasoline"), Count("diesel"), Count("newEnergy"), Count("other"));
                    fuels.Finish();
                }

                map.Finish();
                if (year is { } y && !years.Add(y))
                {
                    map.Error("year", $"{y} a second time", "each year at most once");
                    continue;
                }

                if (year is not null && area is not null && occupants is not null)
                {
                    facts.Add(new YearFacts(year.Value, new Quantity<SquareMetre>(area.Value), occupants.Value, staff, vehicles)
                    {
                        ReportedEnergyKgce = reportedEnergy,
                        ReportedWaterCubicMetres = reportedWater,
                        HeatedArea = heatedArea,
                        VehiclesByFuel = byFuel,
                    });
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
            var station = map.String("weatherStation", required: false, expected: IdExpectation);
            if (station is not null && !IdPattern().IsMatch(station))
            {
                map.Error("weatherStation", $"\"{station}\"", $"a weather station id: {IdExpectation}");
                station = null;
            }

            map.Finish();
            return id is null || code is null || name is null || area is null || zone is null || buildingClass is null
                ? null
                : new Building(id, code, name, new Quantity<SquareMetre>(area.Value), zone.Value, buildingClass.Value, meters) { VirtualMeters = virtualMeters, WeatherStation = station };
        }
    }
}
