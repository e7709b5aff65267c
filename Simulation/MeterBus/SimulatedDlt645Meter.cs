using EnergyMonitor.Acquisition.MeterBus;
using EnergyMonitor.Core.Domain;
using EnergyMonitor.MeterProtocols;
using EnergyMonitor.MeterProtocols.Dlt645;

namespace EnergyMonitor.Simulation.MeterBus;

/// <summary>
/// A DL/T 645 meter from its template: it answers reads of the template's identifiers (and of its address), refuses
/// others with error 02H as a real meter does, and answers a broadcast read address when it is alone on the line.
/// </summary>
public sealed class SimulatedDlt645Meter(MeterId id, Dlt645Address address, Dlt645Template template) : SimulatedBusMeter(id)
{
    private static readonly DataIdentifier AddressIdentifier = DataIdentifier.Parse("04000401");

    public Dlt645Address Address { get; } = address;

    public Dlt645Template Template { get; } = template;

    public override byte[]? Answer(BusProtocol protocol, ReadOnlySpan<byte> request, bool broadcastAlone)
    {
        if (protocol != BusProtocol.Dlt645)
        {
            return null;
        }

        Span<byte> data = stackalloc byte[Dlt645Frame.MaxDataLength];
        var header = Dlt645Frame.Decode(request, data);
        var version = Template.Edition == Core.Site.Dlt645Edition.V2007 ? Dlt645Version.V2007 : Dlt645Version.V1997;
        var reply = new byte[Dlt645Frame.MaxFrameLength(4)];
        var answerAs = Fault == BusMeterFault.WrongAddress ? Dlt645Address.Parse("999999999999") : Address;
        if (header.Control == Dlt645Control.ReadAddress && header.Address.IsBroadcast)
        {
            if (!broadcastAlone || version != Dlt645Version.V2007)
            {
                return null;
            }

            Requests++;
            Span<byte> own = stackalloc byte[Dlt645Address.Size];
            Address.Write(own);
            return Spoil(reply[..Dlt645Frame.Write(reply, 2, Address, (byte)(Dlt645Control.ReadAddress | Dlt645Control.Reply), own)]);
        }

        if (!header.Address.Matches(Address) || header.Control != Dlt645Control.Read(version))
        {
            return null;
        }

        Requests++;
        var di = DataIdentifier.Read(data, version);
        var point = Template.Points.FirstOrDefault(p => p.Identifier == di);
        Span<byte> value = stackalloc byte[8];
        BcdFormat format;
        if (point is not null)
        {
            format = point.Format;
            format.Encode(Fit(format, ValueOf(point)), value);
        }
        else if (di == AddressIdentifier)
        {
            format = new BcdFormat(6, 0);
            Address.Write(value);
        }
        else
        {
            return Spoil(reply[..Dlt645Frame.WriteErrorReply(reply, 2, answerAs, Dlt645Control.Read(version), (byte)Dlt645ErrorFlags.NoDataRequested)]);
        }

        if (Fault == BusMeterFault.IllegalDigit)
        {
            value[0] = 0x9C;
        }

        return Spoil(reply[..Dlt645Frame.WriteReadReply(reply, 2, answerAs, di, value[..format.Bytes])]);
    }

    /// <summary>What the meter's display would show for a point, from its counter and its rate of use.</summary>
    private double ValueOf(Dlt645Point point)
    {
        if (point.Primary)
        {
            return Counter;
        }

        var meaning = Dlt645Catalogue.Find(point.Identifier)?.Meaning ?? point.Description;
        return point.Unit switch
        {
            "kWh" when meaning.Contains("reverse", StringComparison.Ordinal) => 0,
            "kWh" when meaning.Contains("tariff", StringComparison.Ordinal) => Counter * 0.25,
            "kWh" => Counter,
            "V" => 230.0,
            "A" => RatePerHour * 1000 / (3 * 230.0),
            "kW" => RatePerHour,
            "" => 0.95,
            _ => 0,
        };
    }

    /// <summary>A value as the meter's register holds it: rounded to the picture's decimals, within its range.</summary>
    public static decimal Fit(BcdFormat format, double value) =>
        Math.Clamp(Math.Round((decimal)value, format.Decimals, MidpointRounding.ToZero), format.Min, format.Max);
}
