using System.Globalization;
using System.Text;

namespace EnergyMonitor.MeterProtocols.Dlt645;

/// <summary>
/// The error byte of a D1H reply (-2007 §7.3.2, bits): each set bit is one reason. -1997's C1H byte reuses the
/// low bits with other names (see <see cref="Dlt645DeviceException.Describe"/>).
/// </summary>
[Flags]
public enum Dlt645ErrorFlags : byte
{
    None = 0,
    Other = 0x01,
    NoDataRequested = 0x02,
    Unauthorized = 0x04,
    BaudRateUnchangeable = 0x08,
    YearZonesExceeded = 0x10,
    DailyPeriodsExceeded = 0x20,
    TariffsExceeded = 0x40,
}

/// <summary>The meter answered with an error reply: the line is fine, the request was refused.</summary>
public sealed class Dlt645DeviceException(Dlt645Address address, DataIdentifier di, byte error, string endpoint)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"meter {address} at {endpoint} refused {di}: {Describe(error, di.Version)} (error byte {error:X2})"))
{
    public Dlt645Address Address { get; } = address;

    public DataIdentifier Identifier { get; } = di;

    public Dlt645ErrorFlags Flags { get; } = (Dlt645ErrorFlags)error;

    /// <summary>
    /// The meter does not know the identifier, so the template asks for something this model has not got: bit 1 in
    /// both editions ("no data requested" in -2007, "wrong data identifier" in -1997).
    /// </summary>
    public bool IsUnknownIdentifier => (Flags & Dlt645ErrorFlags.NoDataRequested) != 0;

    /// <summary>Each set bit by name, in the edition's words.</summary>
    public static string Describe(byte error, Dlt645Version version)
    {
        string[] names = version == Dlt645Version.V2007
            ? ["other error", "no data requested (unknown identifier)", "unauthorised (password)", "baud rate cannot change", "annual time zones exceeded", "daily periods exceeded", "tariffs exceeded", "reserved bit 7"]
            : ["illegal data", "wrong data identifier", "wrong password", "reserved bit 3", "annual time zones exceeded", "daily periods exceeded", "tariffs exceeded", "reserved bit 7"];
        if (error == 0)
        {
            return "no reason given";
        }

        var text = new StringBuilder();
        for (var bit = 0; bit < 8; bit++)
        {
            if ((error & (1 << bit)) != 0)
            {
                text.Append(text.Length == 0 ? "" : ", ").Append(names[bit]);
            }
        }

        return text.ToString();
    }
}
