namespace EnergyMonitor.MeterProtocols.Cjt188;

/// <summary>
/// A unit byte of CJ/T 188 (docs/DOMAIN.md), with the factor that takes its values into the canonical unit of its
/// kind: GJ for energy, kW for power, m³ for volume, m³/h for flow. A byte not listed is refused, never guessed.
/// </summary>
public readonly record struct Cjt188Unit(byte Code, string Symbol, string Canonical, decimal ToCanonical)
{
    private static readonly Cjt188Unit[] Known =
    [
        new(0x02, "Wh", "GJ", 0.0000036m),
        new(0x05, "kWh", "GJ", 0.0036m),
        new(0x08, "MWh", "GJ", 3.6m),
        new(0x0A, "MWh×100", "GJ", 360m),
        new(0x01, "J", "GJ", 0.000000001m),
        new(0x0B, "kJ", "GJ", 0.000001m),
        new(0x0E, "MJ", "GJ", 0.001m),
        new(0x11, "GJ", "GJ", 1m),
        new(0x13, "GJ×100", "GJ", 100m),
        new(0x14, "W", "kW", 0.001m),
        new(0x17, "kW", "kW", 1m),
        new(0x1A, "MW", "kW", 1000m),
        new(0x29, "L", "m3", 0.001m),
        new(0x2C, "m³", "m3", 1m),
        new(0x32, "L/h", "m3/h", 0.001m),
        new(0x35, "m³/h", "m3/h", 1m),
    ];

    public static IReadOnlyList<Cjt188Unit> All => Known;

    public static Cjt188Unit Of(byte code)
    {
        foreach (var unit in Known)
        {
            if (unit.Code == code)
            {
                return unit;
            }
        }

        throw MeterFrameException.Of(MeterFrameFault.UnknownUnit, $"unit byte {code:X2} is not a CJ/T 188 unit this driver knows");
    }
}
