using EnergyMonitor.Core.Units;

namespace EnergyMonitor.Core.Site;

/// <summary>A whole configured site: one region, its institutions, and the gateways meters are read through.</summary>
public sealed record SiteModel(string Name, Region Region, IReadOnlyList<Gateway> Gateways, IReadOnlyList<Institution> Institutions)
{
    public IEnumerable<Building> Buildings => Institutions.SelectMany(i => i.Buildings);

    public IEnumerable<Meter> Meters => Buildings.SelectMany(b => b.Meters);

    public IEnumerable<VirtualMeter> VirtualMeters => Buildings.SelectMany(b => b.VirtualMeters);

    public TimeZoneInfo TimeZone => Region.TimeZone;
}

/// <summary>An administrative region (行政区划) and the time zone its periods are cut in.</summary>
public sealed record Region(string Code, string Name, TimeZoneInfo TimeZone);

/// <summary>A public institution (公共机构), the unit that files the statistical submission.</summary>
public sealed record Institution(
    string Id,
    string Name,
    string CreditCode,
    string NatureCode,
    IReadOnlyList<YearFacts> Facts,
    Targets? Targets,
    IReadOnlyList<Building> Buildings)
{
    public YearFacts? FactsFor(int year) => Facts.FirstOrDefault(f => f.Year == year);

    /// <summary>The 主管部门 it reports through (the 部门汇总 groups by it); null when not given.</summary>
    public string? Department { get; init; }
}

/// <summary>The facts of one calendar year that indicators divide by.</summary>
public sealed record YearFacts(int Year, Quantity<SquareMetre> FloorArea, int Occupants, int StaffEstablishment, int Vehicles)
{
    /// <summary>
    /// The year's 综合能耗 as its statistical submission reported it, kgce; for a base year before metering began
    /// (a 2020 baseline when the system started later), used only where the year has no rollups.
    /// </summary>
    public double? ReportedEnergyKgce { get; init; }

    /// <summary>The year's water use as reported, m³; likewise only where the year has no rollups.</summary>
    public double? ReportedWaterCubicMetres { get; init; }

    /// <summary>Vehicles by fuel for the submission's 基本信息 (the 2025 edition asks for 新能源 apart); null when not given.</summary>
    public VehicleCounts? VehiclesByFuel { get; init; }

    /// <summary>The floor area heated (采暖面积), m², for the heating form; null without district heating.</summary>
    public double? HeatedArea { get; init; }
}

/// <summary>Vehicles of an institution by fuel.</summary>
public sealed record VehicleCounts(int Gasoline, int Diesel, int NewEnergy, int Other)
{
    public int Total => Gasoline + Diesel + NewEnergy + Other;
}

/// <summary>
/// Reduction targets against a base year, as fractions (−0.05 is 5 % less). Defaults follow the
/// 公共机构节约能源资源"十四五"规划 national targets for 2025 against 2020 [V].
/// </summary>
public sealed record Targets(
    int BaseYear,
    int TargetYear,
    double EnergyPerArea = -0.05,
    double EnergyPerPerson = -0.06,
    double WaterPerPerson = -0.06,
    double Co2PerArea = -0.07,
    Quantity<Kgce>? AnnualEnergyQuota = null);

public enum ClimateZone
{
    SevereCold,
    Cold,
    HotSummerColdWinter,
    HotSummerWarmWinter,
    Mild,
}

/// <summary>
/// A building of an institution. Class A buildings can open windows and rely on natural ventilation; class B
/// are sealed, with central air conditioning (GB/T 51161-2016 民用建筑能耗标准).
/// </summary>
public sealed record Building(
    string Id,
    string Code,
    string Name,
    Quantity<SquareMetre> FloorArea,
    ClimateZone ClimateZone,
    char Class,
    IReadOnlyList<Meter> Meters)
{
    /// <summary>Meters computed from others by formula; none unless configured.</summary>
    public IReadOnlyList<VirtualMeter> VirtualMeters { get; init; } = [];

    /// <summary>The weather station whose temperatures the assessment normalises this building's use by; null when none.</summary>
    public string? WeatherStation { get; init; }
}

/// <summary>
/// One RS-485 line and how it is reached: a serial-to-Ethernet gateway, a Modbus TCP device, or a local serial port
/// (then <see cref="Host"/> is the port's name and <see cref="Serial"/> its settings).
/// </summary>
public sealed record Gateway(string Id, GatewayTransport Transport, string Host, int Port, GatewayQuirks Quirks)
{
    /// <summary>A local port's settings as the site file gives them; null members follow the line's protocol.</summary>
    public (int? BaudRate, SerialParity? Parity, int? StopBits) Serial { get; init; }

    /// <summary>The local port's settings for a line of <paramref name="protocol"/>.</summary>
    public SerialSettings SerialFor(MeterProtocol protocol) => SerialSettings.Resolve(Serial.BaudRate, Serial.Parity, Serial.StopBits,
        protocol == MeterProtocol.Modbus ? SerialSettings.ModbusDefault : SerialSettings.Dlt645Default);

    public string Endpoint => Transport == GatewayTransport.Serial ? Host : $"{Host}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A local serial port's settings, eight data bits always. What the site file leaves out follows the line's protocol:
/// DL/T 645 and CJ/T 188 meters default to 2400 baud 8E1, Modbus to 9600 8N1.
/// </summary>
public sealed record SerialSettings(int BaudRate, SerialParity Parity, int StopBits)
{
    /// <summary>The settings given, each missing one taken from <paramref name="defaults"/>.</summary>
    public static SerialSettings Resolve(int? baudRate, SerialParity? parity, int? stopBits, SerialSettings defaults) =>
        new(baudRate ?? defaults.BaudRate, parity ?? defaults.Parity, stopBits ?? defaults.StopBits);

    public static SerialSettings Dlt645Default { get; } = new(2400, SerialParity.Even, 1);

    public static SerialSettings ModbusDefault { get; } = new(9600, SerialParity.None, 1);
}

public enum SerialParity
{
    None,
    Even,
    Odd,
}

/// <summary>What real gateways need: slower answers, pauses, fewer registers, one connection per poll.</summary>
public sealed record GatewayQuirks(
    TimeSpan ResponseTimeout,
    TimeSpan PauseAfterConnect,
    TimeSpan PauseBetweenRequests,
    bool CloseAfterPoll,
    int MaxRegistersPerRequest)
{
    public static GatewayQuirks Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.Zero, false, 125);
}

public enum GatewayTransport
{
    /// <summary>Modbus TCP (MBAP): a meter or gateway that speaks Modbus over TCP itself.</summary>
    Tcp,

    /// <summary>A transparent serial-to-Ethernet gateway: the line's bytes as they are, over TCP.</summary>
    RtuOverTcp,

    /// <summary>A local serial port (an RS-485 adapter).</summary>
    Serial,
}
