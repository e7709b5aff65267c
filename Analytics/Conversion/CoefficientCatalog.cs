using EnergyMonitor.Core.Domain;

namespace EnergyMonitor.Analytics.Conversion;

/// <summary>The coefficient sets in force, and the choice of one for a year and region.</summary>
public sealed class CoefficientCatalog(IReadOnlyList<CoefficientSet> sets)
{
    public IReadOnlyList<CoefficientSet> Sets => sets;

    /// <summary>
    /// The set for a year and a region: the most specific region that matches (the longest code prefix, "CN"
    /// last), and within it the latest set that starts in or before the year.
    /// </summary>
    public CoefficientSet For(int year, string regionCode) =>
        TryFor(year, regionCode) ?? throw new InvalidOperationException($"no coefficient set covers {year} in region {regionCode}; add one starting in or before {year}");

    /// <summary>As <see cref="For"/>, or null where no set covers the year (a base year before the first set, say).</summary>
    public CoefficientSet? TryFor(int year, string regionCode) => sets
        .Where(s => s.FromYear <= year && (s.Region == "CN" || regionCode.StartsWith(s.Region, StringComparison.Ordinal)))
        .OrderByDescending(s => s.Region == "CN" ? 0 : s.Region.Length)
        .ThenByDescending(s => s.FromYear)
        .FirstOrDefault();

    /// <summary>
    /// The defaults, from docs/DOMAIN.md § Standard coal and CO2: GB/T 2589-2020 coefficients (in force 2021-04-01) and the
    /// national average grid emission factors published by MEE and NBS for 2021, 2022 and 2023.
    /// </summary>
    public static CoefficientCatalog Defaults { get; } = new(
    [
        National("CN-2021", 2021, 0.5568, "MEE/NBS national average grid emission factor 2021"),
        National("CN-2022", 2022, 0.5366, "MEE/NBS national average grid emission factor 2022 (not the 0.5703 set for power-generation companies)"),
        National("CN-2023", 2023, 0.5306, "MEE/NBS national average grid emission factor 2023"),
    ]);

    private static CoefficientSet National(string id, int year, double gridCo2, string gridSource)
    {
        const string Gb = "GB/T 2589-2020 综合能耗计算通则";
        return new CoefficientSet(id, "CN", year, ElectricityBasis.Equivalent,
            new Dictionary<EnergyKind, Factor>
            {
                [EnergyKind.Electricity] = new(0.1229, $"{Gb}, 当量值: 3600 kJ/kWh ÷ 29 307.6 kJ/kgce", Confidence.Verified),
                [EnergyKind.NaturalGas] = new(1.2143, $"{Gb} (the 2020 edition gives 1.1000–1.3300)", Confidence.Verified),
                [EnergyKind.Coal] = new(714.3, $"{Gb}: raw coal 0.7143 kgce/kg × 1000", Confidence.Verified),
                [EnergyKind.Gasoline] = new(1.4714 * 0.73, $"{Gb}: 1.4714 kgce/kg × 0.73 kg/L (density a common default, unverified)", Confidence.Unverified),
                [EnergyKind.Diesel] = new(1.4571 * 0.85, $"{Gb}: 1.4571 kgce/kg × 0.85 kg/L (density a common default, unverified)", Confidence.Unverified),
                [EnergyKind.Lpg] = new(1.7143, Gb, Confidence.Verified),
                [EnergyKind.Heat] = new(34.12, $"{Gb}: 0.03412 kgce/MJ", Confidence.Verified),
                [EnergyKind.Steam] = new(128.6, $"{Gb}: low-pressure steam, second-hand", Confidence.Secondary),
            },
            new Factor(0.31, "等价值 used by some provinces (0.31 or 0.404 kgce/kWh); set per province and year", Confidence.Unverified),
            new Dictionary<EnergyKind, Factor>
            {
                [EnergyKind.Electricity] = new(gridCo2, gridSource, Confidence.Verified),
                [EnergyKind.NaturalGas] = new(2.162, "NCV 389.31 GJ/10⁴ m³ × 15.3 tC/TJ × 99 % oxidation × 44/12", Confidence.Unverified),
            });
    }
}
