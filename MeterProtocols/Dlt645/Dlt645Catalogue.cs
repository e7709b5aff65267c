namespace EnergyMonitor.MeterProtocols.Dlt645;

/// <summary>A data identifier this driver knows: its value's picture, its unit and what it is.</summary>
public sealed record Dlt645Item(DataIdentifier Identifier, BcdFormat Format, string Unit, string Meaning);

/// <summary>
/// The identifiers of docs/DOMAIN.md (-2007 appendix A; the -1997 ones from public implementations, marked [U]
/// there). A template may read others by giving their picture itself.
/// </summary>
public static class Dlt645Catalogue
{
    private static readonly BcdFormat Energy = new(4, 2);

    public static IReadOnlyList<Dlt645Item> Items { get; } =
    [
        Item("00000000", Energy, "kWh", "combined active energy, total"),
        Item("00010000", Energy, "kWh", "forward active energy, total"),
        Item("00010100", Energy, "kWh", "forward active energy, tariff 1"),
        Item("00010200", Energy, "kWh", "forward active energy, tariff 2"),
        Item("00010300", Energy, "kWh", "forward active energy, tariff 3"),
        Item("00010400", Energy, "kWh", "forward active energy, tariff 4"),
        Item("00020000", Energy, "kWh", "reverse active energy, total"),
        Item("02010100", new BcdFormat(2, 1), "V", "voltage, phase A"),
        Item("02010200", new BcdFormat(2, 1), "V", "voltage, phase B"),
        Item("02010300", new BcdFormat(2, 1), "V", "voltage, phase C"),
        Item("02020100", new BcdFormat(3, 3, Signed: true), "A", "current, phase A"),
        Item("02020200", new BcdFormat(3, 3, Signed: true), "A", "current, phase B"),
        Item("02020300", new BcdFormat(3, 3, Signed: true), "A", "current, phase C"),
        Item("02030000", new BcdFormat(3, 4, Signed: true), "kW", "active power, total"),
        Item("02030100", new BcdFormat(3, 4, Signed: true), "kW", "active power, phase A"),
        Item("02030200", new BcdFormat(3, 4, Signed: true), "kW", "active power, phase B"),
        Item("02030300", new BcdFormat(3, 4, Signed: true), "kW", "active power, phase C"),
        Item("02060000", new BcdFormat(2, 3, Signed: true), "", "power factor, total"),
        Item("04000401", new BcdFormat(6, 0), "", "communication address"),

        // -1997 [U]: energies as in -2007; voltage in whole volts, current XX.XX A, power XX.XXXX kW.
        Item("9010", Energy, "kWh", "forward active energy, total"),
        Item("9011", Energy, "kWh", "forward active energy, tariff 1"),
        Item("9012", Energy, "kWh", "forward active energy, tariff 2"),
        Item("9013", Energy, "kWh", "forward active energy, tariff 3"),
        Item("9014", Energy, "kWh", "forward active energy, tariff 4"),
        Item("9020", Energy, "kWh", "reverse active energy, total"),
        Item("B611", new BcdFormat(2, 0), "V", "voltage, phase A"),
        Item("B612", new BcdFormat(2, 0), "V", "voltage, phase B"),
        Item("B613", new BcdFormat(2, 0), "V", "voltage, phase C"),
        Item("B621", new BcdFormat(2, 2), "A", "current, phase A"),
        Item("B622", new BcdFormat(2, 2), "A", "current, phase B"),
        Item("B623", new BcdFormat(2, 2), "A", "current, phase C"),
        Item("B630", new BcdFormat(3, 4, Signed: true), "kW", "active power, total"),
        Item("B650", new BcdFormat(2, 3, Signed: true), "", "power factor, total"),
    ];

    public static Dlt645Item? Find(DataIdentifier di) => Items.FirstOrDefault(i => i.Identifier == di);

    private static Dlt645Item Item(string di, BcdFormat format, string unit, string meaning) => new(DataIdentifier.Parse(di), format, unit, meaning);
}
